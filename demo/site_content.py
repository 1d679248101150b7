"""Copy for the demo site: English pages plus Spanish and German translations."""

# fmt: off
HOME = {
    "en": {
        "title": "TapTime — 1:1 sessions with vetted experts",
        "seo_title": "TapTime — book 1:1 video sessions with vetted experts",
        "search_description": "Find vetted experts, book a 1:1 video session in your own time zone, pay securely and track your progress.",
        "hero_title": "Learn from vetted experts, one session at a time",
        "hero_text": "<p>Book a 1:1 video session in your own time zone, pay securely, and track what you learn.</p>",
        "hero_cta_label": "Browse experts",
        "steps_heading": "How TapTime works",
        "steps": [
            ("Find your expert", "Filter by skill, language, price and time zone. Every expert is vetted by our team."),
            ("Book a time that suits you", "Pick a free slot in your own time zone and pay securely. Plans change? Reschedule within the policy."),
            ("Meet 1:1 on video", "Join from your browser. Notes and resources stay with the session."),
            ("Track your progress", "Set goals, review what you learned and book the next step."),
        ],
        "categories_heading": "Popular topics",
        "categories": [
            ("Software engineering", "Code reviews, system design and interview practice."),
            ("Product & design", "Discovery, roadmaps, UX critique and portfolio reviews."),
            ("Data & AI", "Analytics, machine learning and getting models into production."),
            ("Career growth", "Negotiation, leadership and the next career step."),
            ("Languages", "Conversation practice with patient native speakers."),
            ("Business & finance", "Pricing, fundraising, bookkeeping and growth."),
        ],
        "experts_heading": "Featured experts",
        "testimonials_heading": "What learners say",
        "testimonials": [
            ("Two sessions on system design did more for my interview than a month of videos.", "Priya N.", "Backend engineer"),
            ("I booked at 7 am my time with an expert in Vancouver. It simply worked.", "Jonas K.", "Product manager, Berlin"),
            ("My mentor helped me price my freelance work. I doubled my day rate in three months.", "Lucía M.", "Designer, Madrid"),
        ],
        "cta_title": "Share what you know",
        "cta_text": "Vetted experts set their own prices and hours. We handle bookings, payments and video.",
        "cta_label": "Join as an expert",
    },
    "es": {
        "title": "TapTime — sesiones 1:1 con expertos verificados",
        "seo_title": "TapTime — reserva sesiones de vídeo 1:1 con expertos verificados",
        "search_description": "Encuentra expertos verificados, reserva una sesión de vídeo 1:1 en tu zona horaria, paga de forma segura y sigue tu progreso.",
        "hero_title": "Aprende de expertos verificados, una sesión cada vez",
        "hero_text": "<p>Reserva una sesión de vídeo 1:1 en tu propia zona horaria, paga de forma segura y sigue lo que aprendes.</p>",
        "hero_cta_label": "Ver expertos",
        "steps_heading": "Cómo funciona TapTime",
        "steps": [
            ("Encuentra a tu experto", "Filtra por habilidad, idioma, precio y zona horaria. Nuestro equipo verifica a cada experto."),
            ("Reserva cuando te venga bien", "Elige un hueco libre en tu zona horaria y paga de forma segura."),
            ("Reúnete 1:1 por vídeo", "Entra desde el navegador. Las notas y los recursos quedan con la sesión."),
            ("Sigue tu progreso", "Define objetivos, repasa lo aprendido y reserva el siguiente paso."),
        ],
        "categories_heading": "Temas populares",
        "categories": [
            ("Ingeniería de software", "Revisiones de código, diseño de sistemas y práctica de entrevistas."),
            ("Producto y diseño", "Descubrimiento, hojas de ruta, crítica UX y portafolios."),
            ("Datos e IA", "Analítica, aprendizaje automático y modelos en producción."),
            ("Crecimiento profesional", "Negociación, liderazgo y el siguiente paso en tu carrera."),
            ("Idiomas", "Práctica de conversación con hablantes nativos pacientes."),
            ("Negocios y finanzas", "Precios, financiación, contabilidad y crecimiento."),
        ],
        "experts_heading": "Expertos destacados",
        "testimonials_heading": "Lo que dicen quienes aprenden",
        "testimonials": [
            ("Dos sesiones de diseño de sistemas me ayudaron más que un mes de vídeos.", "Priya N.", "Ingeniera backend"),
            ("Reservé a las 7 de la mañana con un experto en Vancouver. Funcionó sin más.", "Jonas K.", "Product manager, Berlín"),
            ("Mi mentora me ayudó a fijar mis precios. Dupliqué mi tarifa en tres meses.", "Lucía M.", "Diseñadora, Madrid"),
        ],
        "cta_title": "Comparte lo que sabes",
        "cta_text": "Los expertos verificados fijan sus precios y horarios. Nosotros gestionamos reservas, pagos y vídeo.",
        "cta_label": "Únete como experto",
    },
    "de": {
        "title": "TapTime — 1:1-Sessions mit geprüften Expertinnen und Experten",
        "seo_title": "TapTime — 1:1-Videosessions mit geprüften Experten buchen",
        "search_description": "Finde geprüfte Experten, buche eine 1:1-Videosession in deiner Zeitzone, bezahle sicher und verfolge deinen Fortschritt.",
        "hero_title": "Lerne von geprüften Experten, eine Session nach der anderen",
        "hero_text": "<p>Buche eine 1:1-Videosession in deiner Zeitzone, bezahle sicher und behalte im Blick, was du lernst.</p>",
        "hero_cta_label": "Experten ansehen",
        "steps_heading": "So funktioniert TapTime",
        "steps": [
            ("Finde deine Expertin", "Filtere nach Fähigkeit, Sprache, Preis und Zeitzone. Unser Team prüft alle Experten."),
            ("Buche, wann es dir passt", "Wähle einen freien Termin in deiner Zeitzone und bezahle sicher."),
            ("Triff dich 1:1 per Video", "Direkt im Browser. Notizen und Materialien bleiben bei der Session."),
            ("Verfolge deinen Fortschritt", "Setze Ziele, wiederhole das Gelernte und buche den nächsten Schritt."),
        ],
        "categories_heading": "Beliebte Themen",
        "categories": [
            ("Softwareentwicklung", "Code-Reviews, Systemdesign und Interviewtraining."),
            ("Produkt & Design", "Discovery, Roadmaps, UX-Kritik und Portfolio-Reviews."),
            ("Daten & KI", "Analytics, maschinelles Lernen und Modelle in Produktion."),
            ("Karriere", "Verhandeln, Führung und der nächste Karriereschritt."),
            ("Sprachen", "Gesprächsübung mit geduldigen Muttersprachlern."),
            ("Business & Finanzen", "Preise, Finanzierung, Buchhaltung und Wachstum."),
        ],
        "experts_heading": "Ausgewählte Experten",
        "testimonials_heading": "Das sagen Lernende",
        "testimonials": [
            ("Zwei Sessions zu Systemdesign haben mir mehr gebracht als ein Monat Videos.", "Priya N.", "Backend-Entwicklerin"),
            ("Ich habe um 7 Uhr meiner Zeit mit einem Experten in Vancouver gebucht. Es hat einfach funktioniert.", "Jonas K.", "Produktmanager, Berlin"),
            ("Meine Mentorin hat mir bei der Preisgestaltung geholfen. Mein Tagessatz hat sich verdoppelt.", "Lucía M.", "Designerin, Madrid"),
        ],
        "cta_title": "Teile dein Wissen",
        "cta_text": "Geprüfte Experten legen Preise und Zeiten selbst fest. Buchungen, Zahlungen und Video übernehmen wir.",
        "cta_label": "Als Experte mitmachen",
    },
}

ABOUT = {
    "en": {
        "title": "About TapTime",
        "intro": "TapTime connects curious people with experts who have done the work, one focused video session at a time.",
        "body": [
            ("heading", "Why we built TapTime"),
            ("paragraph", "<p>Courses teach the general case. Most of us are stuck on a specific one: our codebase, our pitch, our next career move. Half an hour with someone who has solved that exact problem is worth weeks of searching.</p>"),
            ("heading", "How we choose experts"),
            ("paragraph", "<p>Every expert applies, shows their track record and talks to our team before their profile goes live. Reviews come only from learners who actually had a session.</p>"),
            ("heading", "Where we are"),
            ("paragraph", "<p>We are a small, remote team across Europe and the Americas. Write to us any time through the contact page.</p>"),
        ],
    },
    "es": {
        "title": "Sobre TapTime",
        "intro": "TapTime conecta a personas curiosas con expertos que ya han hecho el trabajo, una sesión de vídeo cada vez.",
        "body": [
            ("heading", "Por qué creamos TapTime"),
            ("paragraph", "<p>Los cursos enseñan el caso general. Casi siempre estamos atascados en uno concreto: nuestro código, nuestra presentación, nuestro próximo paso profesional. Media hora con alguien que ya resolvió ese problema vale semanas de búsqueda.</p>"),
            ("heading", "Cómo elegimos a los expertos"),
            ("paragraph", "<p>Cada experto presenta su solicitud, muestra su trayectoria y habla con nuestro equipo antes de publicar su perfil. Solo quienes han tenido una sesión pueden dejar una reseña.</p>"),
            ("heading", "Dónde estamos"),
            ("paragraph", "<p>Somos un equipo pequeño y remoto entre Europa y América. Escríbenos cuando quieras desde la página de contacto.</p>"),
        ],
    },
    "de": {
        "title": "Über TapTime",
        "intro": "TapTime verbindet neugierige Menschen mit Experten, die es selbst gemacht haben: eine fokussierte Videosession nach der anderen.",
        "body": [
            ("heading", "Warum es TapTime gibt"),
            ("paragraph", "<p>Kurse lehren den allgemeinen Fall. Meist hängen wir aber an einem konkreten: unserem Code, unserem Pitch, unserem nächsten Karriereschritt. Eine halbe Stunde mit jemandem, der genau das schon gelöst hat, ersetzt wochenlanges Suchen.</p>"),
            ("heading", "Wie wir Experten auswählen"),
            ("paragraph", "<p>Alle Experten bewerben sich, zeigen ihre Erfahrung und sprechen mit unserem Team, bevor ihr Profil online geht. Bewertungen kommen nur von Lernenden, die wirklich eine Session hatten.</p>"),
            ("heading", "Wo wir sind"),
            ("paragraph", "<p>Wir sind ein kleines Remote-Team in Europa und Amerika. Schreib uns jederzeit über die Kontaktseite.</p>"),
        ],
    },
}

FAQ = {
    "en": {
        "title": "Frequently asked questions",
        "intro": "Answers about booking, paying, sessions and becoming an expert.",
        "groups": [
            ("Booking", [
                ("How do I book a session?", "Open an expert's page, pick a free slot in your time zone and pay. You get a confirmation email with the video link."),
                ("Which time zone are the slots shown in?", "Always in yours. We detect it when you sign up and you can change it in your settings."),
                ("Can I reschedule?", "Yes, within the expert's reschedule window shown on the booking page, usually up to 24 hours before."),
                ("Can I book a package of sessions?", "Many experts offer packages of several sessions at a lower price per session. Credits stay valid for the period shown."),
            ]),
            ("Payments and refunds", [
                ("How do I pay?", "By card through Stripe. Your card details never touch our servers."),
                ("When am I charged?", "When you confirm the booking. The expert is paid only after the session has taken place."),
                ("What if I cancel?", "The refund follows the cancellation policy shown when you booked: a full refund if you cancel early enough."),
                ("What if the expert does not show up?", "You get a full refund automatically and can rebook with anyone."),
            ]),
            ("Sessions", [
                ("What do I need for a video session?", "A recent browser, a microphone and ideally a camera. Nothing to install."),
                ("Are sessions recorded?", "Only if both you and the expert agree before the session starts."),
                ("Can I share files with my expert?", "Yes, attach resources to the booking; only the two of you can open them."),
                ("How do reviews work?", "After a completed session you can leave one review. Experts can reply publicly."),
            ]),
            ("Becoming an expert", [
                ("Who can become an expert?", "Anyone with proven experience in their field. Apply with your background and our team reviews it."),
                ("How long does the review take?", "Usually three to five working days. We may ask for more information."),
                ("How do I get paid?", "Earnings become available after the session and a short hold period. Withdraw them to your bank through Stripe."),
                ("What does TapTime charge?", "A commission on each paid session, shown clearly before you publish your prices."),
            ]),
        ],
    },
    "es": {
        "title": "Preguntas frecuentes",
        "intro": "Respuestas sobre reservas, pagos, sesiones y cómo ser experto.",
        "groups": [
            ("Reservas", [
                ("¿Cómo reservo una sesión?", "Abre la página de un experto, elige un hueco libre en tu zona horaria y paga. Recibirás un correo con el enlace de vídeo."),
                ("¿En qué zona horaria se muestran los huecos?", "Siempre en la tuya. La detectamos al registrarte y puedes cambiarla en tus ajustes."),
                ("¿Puedo cambiar la cita?", "Sí, dentro del plazo del experto indicado en la reserva, normalmente hasta 24 horas antes."),
                ("¿Puedo reservar un paquete de sesiones?", "Muchos expertos ofrecen paquetes con un precio menor por sesión. Los créditos son válidos durante el periodo indicado."),
            ]),
            ("Pagos y reembolsos", [
                ("¿Cómo pago?", "Con tarjeta a través de Stripe. Los datos de tu tarjeta nunca pasan por nuestros servidores."),
                ("¿Cuándo se me cobra?", "Al confirmar la reserva. El experto cobra solo después de la sesión."),
                ("¿Y si cancelo?", "El reembolso sigue la política de cancelación mostrada al reservar: reembolso completo si cancelas con tiempo."),
                ("¿Y si el experto no se presenta?", "Recibes automáticamente un reembolso completo y puedes reservar de nuevo."),
            ]),
            ("Sesiones", [
                ("¿Qué necesito para una sesión de vídeo?", "Un navegador reciente, un micrófono y, a ser posible, una cámara. No hay que instalar nada."),
                ("¿Se graban las sesiones?", "Solo si tú y el experto lo aceptáis antes de empezar."),
                ("¿Puedo compartir archivos con mi experto?", "Sí, adjunta recursos a la reserva; solo vosotros dos podéis abrirlos."),
                ("¿Cómo funcionan las reseñas?", "Tras una sesión completada puedes dejar una reseña. El experto puede responder públicamente."),
            ]),
            ("Ser experto", [
                ("¿Quién puede ser experto?", "Cualquiera con experiencia demostrada en su campo. Envía tu solicitud y nuestro equipo la revisa."),
                ("¿Cuánto tarda la revisión?", "Normalmente de tres a cinco días laborables. Puede que pidamos más información."),
                ("¿Cómo cobro?", "Tus ingresos están disponibles tras la sesión y un breve periodo de retención. Retíralos a tu banco mediante Stripe."),
                ("¿Cuánto cobra TapTime?", "Una comisión por cada sesión pagada, que se muestra antes de publicar tus precios."),
            ]),
        ],
    },
    "de": {
        "title": "Häufige Fragen",
        "intro": "Antworten zu Buchung, Bezahlung, Sessions und dem Einstieg als Experte.",
        "groups": [
            ("Buchen", [
                ("Wie buche ich eine Session?", "Öffne die Seite eines Experten, wähle einen freien Termin in deiner Zeitzone und bezahle. Du bekommst eine Bestätigung mit dem Videolink."),
                ("In welcher Zeitzone sehe ich die Termine?", "Immer in deiner. Wir erkennen sie bei der Registrierung, du kannst sie in den Einstellungen ändern."),
                ("Kann ich einen Termin verschieben?", "Ja, innerhalb der Frist des Experten, die bei der Buchung steht, meist bis 24 Stunden vorher."),
                ("Kann ich ein Paket buchen?", "Viele Experten bieten Pakete mit günstigerem Preis pro Session an. Die Guthaben gelten für den angegebenen Zeitraum."),
            ]),
            ("Zahlung und Erstattung", [
                ("Wie bezahle ich?", "Per Karte über Stripe. Deine Kartendaten berühren nie unsere Server."),
                ("Wann wird abgebucht?", "Wenn du die Buchung bestätigst. Der Experte wird erst nach der Session bezahlt."),
                ("Was passiert, wenn ich storniere?", "Die Erstattung folgt der Stornoregel, die bei der Buchung angezeigt wurde: volle Erstattung bei rechtzeitiger Absage."),
                ("Was, wenn der Experte nicht erscheint?", "Du bekommst automatisch den vollen Betrag zurück und kannst neu buchen."),
            ]),
            ("Sessions", [
                ("Was brauche ich für eine Videosession?", "Einen aktuellen Browser, ein Mikrofon und am besten eine Kamera. Keine Installation nötig."),
                ("Werden Sessions aufgezeichnet?", "Nur wenn du und der Experte vor Beginn zustimmen."),
                ("Kann ich Dateien teilen?", "Ja, hänge Materialien an die Buchung; nur ihr beide könnt sie öffnen."),
                ("Wie funktionieren Bewertungen?", "Nach einer abgeschlossenen Session kannst du eine Bewertung abgeben. Experten können öffentlich antworten."),
            ]),
            ("Experte werden", [
                ("Wer kann Experte werden?", "Alle mit nachweisbarer Erfahrung in ihrem Fach. Bewirb dich, unser Team prüft die Bewerbung."),
                ("Wie lange dauert die Prüfung?", "Meist drei bis fünf Werktage. Eventuell fragen wir nach weiteren Unterlagen."),
                ("Wie werde ich bezahlt?", "Einnahmen werden nach der Session und einer kurzen Haltefrist verfügbar. Auszahlung aufs Konto über Stripe."),
                ("Was kostet TapTime?", "Eine Provision pro bezahlter Session, die vor dem Veröffentlichen deiner Preise klar angezeigt wird."),
            ]),
        ],
    },
}

STANDARD_PAGES = [
    {
        "slug": "how-it-works",
        "title": "How it works",
        "intro": "TapTime works the same way for learners and experts: clear prices, your own time zone, secure payments.",
        "body": [
            ("how_it_works_learners", None),
            ("heading", "For experts"),
            ("paragraph", "<p>Apply with your background. Once approved, publish your profile, set weekly availability and prices, and run sessions in the browser. Earnings become available after each session and can be withdrawn to your bank.</p>"),
            ("cta_join", None),
        ],
    },
    {
        "slug": "join",
        "title": "Join as an expert",
        "intro": "Turn your experience into focused 1:1 sessions. You set the prices and the hours; we handle the rest.",
        "body": [
            ("heading", "Why experts choose TapTime"),
            ("paragraph", "<ul><li>Learners arrive ready to book: no cold outreach.</li><li>Bookings respect your buffers, daily cap and notice period.</li><li>Payments, refunds and invoices are handled for you.</li></ul>"),
            ("heading", "What we look for"),
            ("paragraph", "<p>Proven experience, clear communication and the patience to teach. The application takes about fifteen minutes.</p>"),
            ("cta_signup", None),
        ],
    },
    {
        "slug": "privacy",
        "title": "Privacy policy",
        "intro": "What we collect, why, and the choices you have.",
        "body": [
            ("heading", "What we collect"),
            ("paragraph", "<p>Your account details (name, email, time zone), your bookings and messages, and payment references from Stripe. We never store card numbers.</p>"),
            ("heading", "Analytics"),
            ("paragraph", "<p>Analytics are off unless you accept them in the consent banner. You can change your mind at any time by clearing your browser storage.</p>"),
            ("heading", "Your rights"),
            ("paragraph", "<p>You can export your data or delete your account from your settings, or write to us through the contact page.</p>"),
        ],
    },
    {
        "slug": "terms",
        "title": "Terms of service",
        "intro": "The rules that keep TapTime fair for learners and experts.",
        "body": [
            ("heading", "Bookings"),
            ("paragraph", "<p>A booking is a contract between the learner and the expert. TapTime collects the payment and pays the expert after the session.</p>"),
            ("heading", "Cancellations and refunds"),
            ("paragraph", "<p>The cancellation policy shown at booking applies. No-shows by the expert are refunded in full.</p>"),
            ("heading", "Conduct"),
            ("paragraph", "<p>Be respectful. We remove content and accounts that harass, mislead or break the law.</p>"),
        ],
    },
]
# fmt: on
