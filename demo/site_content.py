"""Copy for the demo site: English pages plus Spanish and German translations."""

# fmt: off
HOME = {
    "en": {
        "title": "TapTime — 1:1 sessions with vetted experts",
        "seo_title": "TapTime — book 1:1 video sessions with vetted experts",
        "search_description": "Find vetted experts, book a 1:1 video session in your own time zone, pay securely and keep every session in one place.",
        "hero_title": "Learn from vetted experts, one session at a time",
        "hero_text": "<p>Book a 1:1 video session in your own time zone, pay securely, and find every session on your dashboard.</p>",
        "hero_cta_label": "Browse experts",
        "steps_heading": "How TapTime works",
        "steps": [
            ("Find your expert", "Filter by skill, language, price and time zone. Every expert is vetted by our team."),
            ("Book a time that suits you", "Pick a free slot in your own time zone and pay securely. Plans change? Cancel up to 24 hours before for a full refund."),
            ("Meet 1:1 on video", "Join from your browser. The goals you write when booking go to your expert with the booking."),
            ("Book the next step", "Your dashboard lists every upcoming and past session, so the next one is a few clicks away."),
        ],
        "categories_heading": "Popular topics",
        "categories": [
            ("software-development", "Software development", "Code reviews, architecture and pairing with senior engineers."),
            ("data-and-ai", "Data and AI", "From spreadsheets to machine learning in production."),
            ("design", "Design", "Portfolio reviews, UX research and visual design critique."),
            ("career", "Career", "Land the next role and grow in the one you have."),
            ("languages", "Languages", "Conversation practice and exam preparation with native speakers."),
            ("business", "Business", "Strategy, go-to-market and running a company."),
        ],
        "experts_heading": "Featured experts",
        "testimonials_heading": "What learners say",
        "testimonials": [
            ("Two sessions on system design did more for my interview than a month of videos.", "Priya N.", "Backend engineer"),
            ("I booked at 7 am my time with an expert in Vancouver. It simply worked.", "Jonas K.", "Product manager, Berlin"),
            ("My mentor helped me price my freelance work. I doubled my day rate in three months.", "Lucía M.", "Designer, Madrid"),
        ],
        "cta_title": "Share what you know",
        "cta_text": "Vetted experts set their own prices and hours. TapTime takes the bookings and the payments and opens the video room.",
        "cta_label": "Join as an expert",
    },
    "es": {
        "title": "TapTime — sesiones 1:1 con expertos verificados",
        "seo_title": "TapTime — reserva sesiones de vídeo 1:1 con expertos verificados",
        "search_description": "Encuentra expertos verificados, reserva una sesión de vídeo 1:1 en tu zona horaria, paga de forma segura y ten todas tus sesiones en un solo lugar.",
        "hero_title": "Aprende de expertos verificados, una sesión cada vez",
        "hero_text": "<p>Reserva una sesión de vídeo 1:1 en tu propia zona horaria, paga de forma segura y encuentra todas tus sesiones en tu panel.</p>",
        "hero_cta_label": "Ver expertos",
        "steps_heading": "Cómo funciona TapTime",
        "steps": [
            ("Encuentra a tu experto", "Filtra por habilidad, idioma, precio y zona horaria. Nuestro equipo verifica a cada experto."),
            ("Reserva cuando te venga bien", "Elige un hueco libre en tu zona horaria y paga de forma segura. ¿Cambian tus planes? Cancela hasta 24 horas antes y te devolvemos todo."),
            ("Reúnete 1:1 por vídeo", "Entra desde el navegador. Los objetivos que escribes al reservar llegan al experto con la reserva."),
            ("Reserva el siguiente paso", "Tu panel muestra todas tus sesiones, próximas y pasadas, así que la siguiente está a pocos clics."),
        ],
        "categories_heading": "Temas populares",
        "categories": [
            ("software-development", "Desarrollo de software", "Revisiones de código, arquitectura y programación en pareja con ingenieros sénior."),
            ("data-and-ai", "Datos e IA", "De las hojas de cálculo al aprendizaje automático en producción."),
            ("design", "Diseño", "Revisión de portafolios, investigación UX y crítica de diseño visual."),
            ("career", "Carrera profesional", "Consigue el próximo puesto y crece en el que tienes."),
            ("languages", "Idiomas", "Práctica de conversación y preparación de exámenes con hablantes nativos."),
            ("business", "Negocios", "Estrategia, salida al mercado y gestión de una empresa."),
        ],
        "experts_heading": "Expertos destacados",
        "testimonials_heading": "Lo que dicen quienes aprenden",
        "testimonials": [
            ("Dos sesiones de diseño de sistemas me ayudaron más que un mes de vídeos.", "Priya N.", "Ingeniera backend"),
            ("Reservé a las 7 de la mañana con un experto en Vancouver. Funcionó sin más.", "Jonas K.", "Product manager, Berlín"),
            ("Mi mentora me ayudó a fijar mis precios. Dupliqué mi tarifa en tres meses.", "Lucía M.", "Diseñadora, Madrid"),
        ],
        "cta_title": "Comparte lo que sabes",
        "cta_text": "Los expertos verificados fijan sus precios y horarios. TapTime gestiona las reservas y los pagos y abre la sala de vídeo.",
        "cta_label": "Únete como experto",
    },
    "de": {
        "title": "TapTime — 1:1-Sessions mit geprüften Expertinnen und Experten",
        "seo_title": "TapTime — 1:1-Videosessions mit geprüften Experten buchen",
        "search_description": "Finde geprüfte Experten, buche eine 1:1-Videosession in deiner Zeitzone, bezahle sicher und behalte alle Sessions an einem Ort.",
        "hero_title": "Lerne von geprüften Experten, eine Session nach der anderen",
        "hero_text": "<p>Buche eine 1:1-Videosession in deiner Zeitzone, bezahle sicher und finde alle Sessions in deiner Übersicht.</p>",
        "hero_cta_label": "Experten ansehen",
        "steps_heading": "So funktioniert TapTime",
        "steps": [
            ("Finde deine Expertin", "Filtere nach Fähigkeit, Sprache, Preis und Zeitzone. Unser Team prüft alle Experten."),
            ("Buche, wann es dir passt", "Wähle einen freien Termin in deiner Zeitzone und bezahle sicher. Pläne ändern sich? Bis 24 Stunden vorher stornieren und alles zurückbekommen."),
            ("Triff dich 1:1 per Video", "Direkt im Browser. Die Ziele, die du beim Buchen notierst, gehen mit der Buchung an deinen Experten."),
            ("Buche den nächsten Schritt", "Deine Übersicht zeigt alle kommenden und vergangenen Sessions, die nächste ist schnell gebucht."),
        ],
        "categories_heading": "Beliebte Themen",
        "categories": [
            ("software-development", "Softwareentwicklung", "Code-Reviews, Architektur und Pair-Programming mit erfahrenen Entwicklern."),
            ("data-and-ai", "Daten und KI", "Von der Tabellenkalkulation bis zum maschinellen Lernen in Produktion."),
            ("design", "Design", "Portfolio-Reviews, UX-Research und Kritik am visuellen Design."),
            ("career", "Karriere", "Die nächste Stelle finden und in der jetzigen wachsen."),
            ("languages", "Sprachen", "Gesprächsübung und Prüfungsvorbereitung mit Muttersprachlern."),
            ("business", "Business", "Strategie, Markteintritt und Unternehmensführung."),
        ],
        "experts_heading": "Ausgewählte Experten",
        "testimonials_heading": "Das sagen Lernende",
        "testimonials": [
            ("Zwei Sessions zu Systemdesign haben mir mehr gebracht als ein Monat Videos.", "Priya N.", "Backend-Entwicklerin"),
            ("Ich habe um 7 Uhr meiner Zeit mit einem Experten in Vancouver gebucht. Es hat einfach funktioniert.", "Jonas K.", "Produktmanager, Berlin"),
            ("Meine Mentorin hat mir bei der Preisgestaltung geholfen. Mein Tagessatz hat sich verdoppelt.", "Lucía M.", "Designerin, Madrid"),
        ],
        "cta_title": "Teile dein Wissen",
        "cta_text": "Geprüfte Experten legen Preise und Zeiten selbst fest. TapTime übernimmt Buchungen und Zahlungen und öffnet den Videoraum.",
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
            ("paragraph", "<p>Every expert applies, shows their track record and talks to our team before their profile goes live. A profile counts only the sessions an expert has actually completed on TapTime.</p>"),
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
            ("paragraph", "<p>Cada experto presenta su solicitud, muestra su trayectoria y habla con nuestro equipo antes de publicar su perfil. Un perfil solo cuenta las sesiones que el experto ha completado de verdad en TapTime.</p>"),
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
            ("paragraph", "<p>Alle Experten bewerben sich, zeigen ihre Erfahrung und sprechen mit unserem Team, bevor ihr Profil online geht. Ein Profil zählt nur die Sessions, die jemand auf TapTime wirklich abgeschlossen hat.</p>"),
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
                ("How do I book a session?", "Open an expert's page, pick a free slot in your time zone and pay. You get a confirmation email with the link to join and a calendar invitation."),
                ("Which time zone are the slots shown in?", "Always in yours. We detect it when you sign up and you can change it in your settings."),
                ("Can I move a session to another time?", "Cancel it up to 24 hours before the start for a full refund, then book the new time. There is no separate rescheduling."),
                ("Can I book several sessions?", "Yes: book each one on the expert's page. Every session is booked and paid on its own."),
            ]),
            ("Payments and refunds", [
                ("How do I pay?", "By card through Stripe. Your card details never touch our servers."),
                ("When am I charged?", "When you pay on the review page. The time is held for you for ten minutes while you do."),
                ("What if I cancel?", "The refund follows the cancellation policy shown when you booked: a full refund if you cancel early enough."),
                ("What if the expert does not show up?", "Tell us through the contact page. Our team checks what happened and refunds you in full."),
            ]),
            ("Sessions", [
                ("What do I need for a video session?", "A recent browser, a microphone and ideally a camera. Nothing to install."),
                ("Are sessions recorded?", "No. TapTime does not record sessions."),
                ("Can I tell my expert what I need?", "Yes: write your goals when you book. Your expert sees them with the booking. Share files during the call itself."),
                ("Are there reviews?", "Yes, and only from learners who completed a session with the expert. Reviews appear a few days after they are written; each profile also shows how many sessions the expert has completed on TapTime."),
            ]),
            ("Becoming an expert", [
                ("Who can become an expert?", "Anyone with proven experience in their field. Apply online from the Join as an expert page; our team reviews your application and credentials."),
                ("How long does the review take?", "Usually three to five working days. We may ask for more information."),
                ("How do I get paid?", "Learners pay TapTime when they book. Each booking shows your share after the commission; our team arranges the payout with you."),
                ("What does TapTime charge?", "A commission on each paid session. Each booking's page shows you the fee and your share."),
            ]),
        ],
    },
    "es": {
        "title": "Preguntas frecuentes",
        "intro": "Respuestas sobre reservas, pagos, sesiones y cómo ser experto.",
        "groups": [
            ("Reservas", [
                ("¿Cómo reservo una sesión?", "Abre la página de un experto, elige un hueco libre en tu zona horaria y paga. Recibirás un correo con el enlace para entrar y una invitación de calendario."),
                ("¿En qué zona horaria se muestran los huecos?", "Siempre en la tuya. La detectamos al registrarte y puedes cambiarla en tus ajustes."),
                ("¿Puedo cambiar la sesión de hora?", "Cancélala hasta 24 horas antes del inicio y te devolvemos todo; después reserva la nueva hora. No hay un cambio de cita aparte."),
                ("¿Puedo reservar varias sesiones?", "Sí: reserva cada una en la página del experto. Cada sesión se reserva y se paga por separado."),
            ]),
            ("Pagos y reembolsos", [
                ("¿Cómo pago?", "Con tarjeta a través de Stripe. Los datos de tu tarjeta nunca pasan por nuestros servidores."),
                ("¿Cuándo se me cobra?", "Cuando pagas en la página de revisión. Mientras tanto, guardamos la hora para ti durante diez minutos."),
                ("¿Y si cancelo?", "El reembolso sigue la política de cancelación mostrada al reservar: reembolso completo si cancelas con tiempo."),
                ("¿Y si el experto no se presenta?", "Escríbenos desde la página de contacto. Nuestro equipo revisa lo ocurrido y te devuelve el importe completo."),
            ]),
            ("Sesiones", [
                ("¿Qué necesito para una sesión de vídeo?", "Un navegador reciente, un micrófono y, a ser posible, una cámara. No hay que instalar nada."),
                ("¿Se graban las sesiones?", "No. TapTime no graba las sesiones."),
                ("¿Puedo decirle al experto lo que necesito?", "Sí: escribe tus objetivos al reservar. El experto los ve con la reserva. Los archivos, compártelos durante la llamada."),
                ("¿Hay reseñas?", "No escritas. Cada perfil muestra cuántas sesiones ha completado el experto en TapTime."),
            ]),
            ("Ser experto", [
                ("¿Quién puede ser experto?", "Cualquiera con experiencia demostrada en su campo. Solicítalo en línea desde la página Hazte experto; nuestro equipo revisa tu solicitud y tus credenciales."),
                ("¿Cuánto tarda la revisión?", "Normalmente de tres a cinco días laborables. Puede que pidamos más información."),
                ("¿Cómo cobro?", "Quien aprende paga a TapTime al reservar. Cada reserva muestra tu parte tras la comisión; nuestro equipo acuerda contigo el pago."),
                ("¿Cuánto cobra TapTime?", "Una comisión por cada sesión pagada. La página de cada reserva te muestra la comisión y tu parte."),
            ]),
        ],
    },
    "de": {
        "title": "Häufige Fragen",
        "intro": "Antworten zu Buchung, Bezahlung, Sessions und dem Einstieg als Experte.",
        "groups": [
            ("Buchen", [
                ("Wie buche ich eine Session?", "Öffne die Seite eines Experten, wähle einen freien Termin in deiner Zeitzone und bezahle. Du bekommst eine Bestätigung mit dem Link zum Beitreten und eine Kalendereinladung."),
                ("In welcher Zeitzone sehe ich die Termine?", "Immer in deiner. Wir erkennen sie bei der Registrierung, du kannst sie in den Einstellungen ändern."),
                ("Kann ich einen Termin verschieben?", "Storniere ihn bis 24 Stunden vor Beginn für eine volle Erstattung und buche dann den neuen Termin. Ein eigenes Verschieben gibt es nicht."),
                ("Kann ich mehrere Sessions buchen?", "Ja: buche jede auf der Seite des Experten. Jede Session wird einzeln gebucht und bezahlt."),
            ]),
            ("Zahlung und Erstattung", [
                ("Wie bezahle ich?", "Per Karte über Stripe. Deine Kartendaten berühren nie unsere Server."),
                ("Wann wird abgebucht?", "Wenn du auf der Prüfseite bezahlst. So lange halten wir den Termin zehn Minuten für dich frei."),
                ("Was passiert, wenn ich storniere?", "Die Erstattung folgt der Stornoregel, die bei der Buchung angezeigt wurde: volle Erstattung bei rechtzeitiger Absage."),
                ("Was, wenn der Experte nicht erscheint?", "Schreib uns über die Kontaktseite. Unser Team prüft, was passiert ist, und erstattet dir den vollen Betrag."),
            ]),
            ("Sessions", [
                ("Was brauche ich für eine Videosession?", "Einen aktuellen Browser, ein Mikrofon und am besten eine Kamera. Keine Installation nötig."),
                ("Werden Sessions aufgezeichnet?", "Nein. TapTime zeichnet keine Sessions auf."),
                ("Kann ich dem Experten sagen, was ich brauche?", "Ja: notiere deine Ziele beim Buchen. Dein Experte sieht sie mit der Buchung. Dateien teilst du im Gespräch selbst."),
                ("Gibt es Bewertungen?", "Keine schriftlichen. Jedes Profil zeigt, wie viele Sessions der Experte auf TapTime abgeschlossen hat."),
            ]),
            ("Experte werden", [
                ("Wer kann Experte werden?", "Alle mit nachweisbarer Erfahrung in ihrem Fach. Bewirb dich online über die Seite „Experte werden“; unser Team prüft deine Bewerbung und deine Nachweise."),
                ("Wie lange dauert die Prüfung?", "Meist drei bis fünf Werktage. Eventuell fragen wir nach weiteren Unterlagen."),
                ("Wie werde ich bezahlt?", "Lernende bezahlen TapTime beim Buchen. Jede Buchung zeigt deinen Anteil nach der Provision; die Auszahlung vereinbart unser Team mit dir."),
                ("Was kostet TapTime?", "Eine Provision pro bezahlter Session. Die Seite jeder Buchung zeigt dir die Gebühr und deinen Anteil."),
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
            ("paragraph", "<p>Apply online: about you, your expertise, your prices and your credentials. Once approved, your profile is ready as a draft: set your weekly hours, check your page and publish it, then meet learners in the browser. Each booking shows your share after TapTime's commission.</p>"),
            ("cta_join", None),
        ],
    },
    {
        "slug": "join",
        "title": "Join as an expert",
        "intro": "Turn your experience into focused 1:1 sessions. You set the prices and the hours; we handle the rest.",
        "body": [
            ("heading", "Why experts choose TapTime"),
            ("paragraph", "<ul><li>Learners arrive ready to book: no cold outreach.</li><li>Bookings respect your weekly hours, days off, buffers and notice period.</li><li>Learners pay when they book, and cancellations are refunded by the rule shown at booking.</li></ul>"),
            ("heading", "What we look for"),
            ("paragraph", "<p>Proven experience, clear communication and the patience to teach.</p>"),
            ("heading", "How to apply"),
            ("paragraph", "<ol><li>Sign up for a free account, or sign in if you have one.</li><li>Fill in the application: about you, your expertise, your offer and your credentials (ID, certificates, diplomas or a portfolio). Your answers are saved after every step.</li><li>Our reviewers check it, usually within a few working days, and may ask you for changes. Once approved, your Expert area shows the last steps: set your hours and publish your page.</li></ol>"),
            ("cta_apply", None),
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
            ("paragraph", "<p>Analytics are off unless you accept them in the consent banner. You can change or withdraw your choice at any time with “Cookie settings” at the bottom of every page. News and offers by email are off unless you switch them on, and every such email has a one-click unsubscribe.</p>"),
            ("heading", "Your rights"),
            ("paragraph", "<p>Your settings let you change your name, email address, time zone and language. Under “Your data” in your account you can download a copy of everything we hold about you (a ZIP file, emailed as a private link that works for 7 days) and ask us to erase your account: after a 7-day waiting period, during which you can cancel, we remove your personal data; payments and accounting records are kept under an anonymous number for as long as the law requires. You can also write to us through the contact page.</p><h3>How long we keep things</h3><ul><li>Unpaid holds: 90 days after they lapse.</li><li>Contact and feedback messages: 12 months.</li><li>Raw payment notifications from Stripe: 90 days.</li><li>Accounts never confirmed nor used: 30 days.</li><li>Data exports: 7 days.</li></ul>"),
        ],
    },
    {
        "slug": "terms",
        "title": "Terms of service",
        "intro": "The rules that keep TapTime fair for learners and experts.",
        "body": [
            ("heading", "Bookings"),
            ("paragraph", "<p>A booking is a contract between the learner and the expert. TapTime collects the payment; the expert's share is paid out as agreed with our team.</p>"),
            ("heading", "Cancellations and refunds"),
            ("paragraph", "<p>The cancellation policy shown at booking applies. If an expert does not show up, tell us through the contact page: we check and refund the learner in full.</p>"),
            ("heading", "Conduct"),
            ("paragraph", "<p>Be respectful. We remove content and accounts that harass, mislead or break the law.</p>"),
        ],
    },
]
# fmt: on
