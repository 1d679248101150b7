"""The demo catalogue's words: categories with their skills, names, places, headlines, bios, credentials."""

CATEGORIES = [
    (
        "software-development",
        "Software development",
        "Code reviews, architecture and pairing with senior engineers.",
        [
            ("web-development", "Web development", ["Django", "React", "TypeScript", "CSS", "Accessibility"]),
            ("python-programming", "Python", ["Python", "Testing", "Async", "Packaging", "FastAPI"]),
            ("mobile-apps", "Mobile apps", ["Swift", "Kotlin", "Flutter", "App Store", "React Native"]),
        ],
    ),
    (
        "data-and-ai",
        "Data and AI",
        "From spreadsheets to machine learning in production.",
        [
            ("data-science", "Data science", ["Statistics", "pandas", "SQL", "Experiment design", "Visualisation"]),
            ("machine-learning", "Machine learning", ["PyTorch", "MLOps", "NLP", "Computer vision", "LLMs"]),
            ("data-engineering", "Data engineering", ["dbt", "Airflow", "Spark", "PostgreSQL", "Data modelling"]),
        ],
    ),
    (
        "design",
        "Design",
        "Portfolio reviews, UX research and visual design critique.",
        [
            ("ux-design", "UX design", ["User research", "Figma", "Prototyping", "Usability testing"]),
            ("graphic-design", "Graphic design", ["Branding", "Typography", "Illustration", "Logo design"]),
        ],
    ),
    (
        "business",
        "Business",
        "Strategy, go-to-market and running a company.",
        [
            ("startups", "Startups", ["Fundraising", "Pitch decks", "Business model", "Hiring"]),
            ("marketing", "Marketing", ["SEO", "Content strategy", "Paid ads", "Email marketing"]),
            ("product-management", "Product management", ["Roadmaps", "Discovery", "OKRs", "Prioritisation"]),
        ],
    ),
    (
        "career",
        "Career",
        "Land the next role and grow in the one you have.",
        [
            (
                "interview-prep",
                "Interview preparation",
                ["System design interviews", "Behavioural interviews", "Coding interviews"],
            ),
            ("resume-review", "Résumé and LinkedIn", ["Résumé writing", "LinkedIn profile", "Cover letters"]),
            ("leadership", "Leadership coaching", ["Management", "Feedback", "Team building", "Public speaking"]),
        ],
    ),
    (
        "languages",
        "Languages",
        "Conversation practice and exam preparation with native speakers.",
        [
            ("english-conversation", "English conversation", ["Business English", "IELTS", "Pronunciation"]),
            ("spanish-lessons", "Spanish", ["Conversational Spanish", "DELE", "Grammar"]),
            ("german-lessons", "German", ["Conversational German", "Goethe exam", "Business German"]),
        ],
    ),
    (
        "finance",
        "Finance",
        "Money questions answered by practitioners.",
        [
            ("personal-finance", "Personal finance", ["Budgeting", "Retirement planning", "Debt payoff"]),
            ("accounting", "Accounting", ["Bookkeeping", "Tax basics", "Financial statements"]),
        ],
    ),
    (
        "music",
        "Music",
        "Lessons and feedback from working musicians.",
        [
            ("guitar", "Guitar", ["Acoustic guitar", "Fingerstyle", "Music theory"]),
            ("music-production", "Music production", ["Ableton Live", "Mixing", "Sound design"]),
            ("singing", "Singing", ["Vocal technique", "Breathing", "Performance"]),
        ],
    ),
    (
        "health-and-fitness",
        "Health and fitness",
        "Coaching for a stronger, calmer you.",
        [
            ("nutrition", "Nutrition", ["Meal planning", "Sports nutrition", "Plant-based diets"]),
            ("fitness-coaching", "Fitness coaching", ["Strength training", "Running", "Mobility"]),
        ],
    ),
]

FIRST_NAMES = [
    "Amara",
    "Kenji",
    "Lucía",
    "Tobias",
    "Priya",
    "Mateo",
    "Ingrid",
    "Chidi",
    "Sofia",
    "Rahul",
    "Elena",
    "Kwame",
    "Hannah",
    "Diego",
    "Mei",
    "Olivia",
    "Yusuf",
    "Aiko",
    "Lars",
    "Fatima",
    "Noah",
    "Zanele",
    "Camille",
    "Arjun",
    "Isabel",
    "Tomás",
    "Leila",
    "Jonas",
    "Nia",
    "Hiroshi",
]
LAST_NAMES = [
    "Okafor",
    "Tanaka",
    "Fernández",
    "Becker",
    "Sharma",
    "Rossi",
    "Larsen",
    "Nwosu",
    "Moreau",
    "Kim",
    "Silva",
    "Mensah",
    "Schmidt",
    "García",
    "Chen",
    "Walsh",
    "Demir",
    "Sato",
    "Nilsson",
    "Haddad",
    "Murphy",
    "Dlamini",
    "Dubois",
    "Iyer",
    "Costa",
    "Novak",
    "Rahimi",
    "Weber",
    "Adeyemi",
    "Yamamoto",
]
# (time zone, currency, extra languages) — five continents.
PLACES = [
    ("America/New_York", "USD", []),
    ("America/Los_Angeles", "USD", ["es"]),
    ("America/Toronto", "CAD", ["fr"]),
    ("America/Sao_Paulo", "USD", ["pt", "es"]),
    ("Europe/London", "GBP", []),
    ("Europe/Berlin", "EUR", ["de"]),
    ("Europe/Madrid", "EUR", ["es"]),
    ("Europe/Paris", "EUR", ["fr"]),
    ("Africa/Lagos", "USD", ["yo"]),
    ("Africa/Nairobi", "USD", ["sw"]),
    ("Asia/Kolkata", "USD", ["hi"]),
    ("Asia/Tokyo", "USD", ["ja"]),
    ("Asia/Kathmandu", "USD", []),
    ("Australia/Sydney", "AUD", []),
]
HEADLINES = [
    "{years} years in {sub} — practical, friendly 1:1 help",
    "{skill} specialist helping you move faster",
    "Former lead at a scale-up; now coaching {sub}",
    "I help beginners and pros get unstuck with {skill}",
    "{sub} mentor: clear plans, honest feedback",
]
BIOS = [
    "I have spent {years} years working on {sub_lower} and love sharing what I have learned. "
    "Sessions are hands-on: bring a real problem and we will work through it together.\n\n"
    "Learners usually come to me for {skill} and {skill2}.",
    "After {years} years in the field I now split my time between client work and mentoring. "
    "I keep sessions practical and leave you with a written plan.\n\n"
    "Favourite topics: {skill}, {skill2}.",
    "I teach the way I wish I had been taught: small steps, real examples, lots of questions. "
    "{years} years of experience in {sub_lower}, most recently focused on {skill}.",
]
CREDENTIALS = [
    "MSc, University of Edinburgh",
    "Certified coach (ICF)",
    "Speaker at PyCon",
    "10k+ students online",
    "Ex-Google",
    "Published author",
    "Conservatory diploma",
    "CPA",
    "PhD in Statistics",
]
