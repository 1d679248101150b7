"""A small labelled set for the recommender: demo-like experts and goals in a learner's own words.

Each case is a goal as a learner would type it (EN, ES, DE; no topic chosen) and the experts a
person reading the profiles would pick for it. Written by hand before the scores were looked at;
used by tests/learning/test_recommendation_quality.py and benchmarks/learning.py.
"""

# key: (headline, category slug, skills)
EXPERTS = {
    "sysdesign_anna": (
        "Staff engineer: system design interviews at FAANG",
        "interview-prep",
        ["System design interviews", "Distributed systems"],
    ),
    "sysdesign_kenji": (
        "Scalable backend architecture, from monolith to microservices",
        "web-development",
        ["Architecture", "Microservices", "Caching"],
    ),
    "coding_int_lars": (
        "Coding interview coach: algorithms and data structures",
        "interview-prep",
        ["Coding interviews", "Algorithms", "LeetCode"],
    ),
    "behav_int_nia": (
        "Behavioural interviews and salary negotiation",
        "interview-prep",
        ["Behavioural interviews", "Negotiation"],
    ),
    "django_tobias": (
        "Django and Python web apps, code reviews",
        "web-development",
        ["Django", "Python", "PostgreSQL"],
    ),
    "react_mei": ("React and TypeScript front-ends that stay fast", "web-development", ["React", "TypeScript", "CSS"]),
    "python_priya": (
        "Python from zero: your first programs and automation scripts",
        "python-programming",
        ["Python", "Automation", "Testing"],
    ),
    "ios_hiroshi": ("Swift and SwiftUI: ship your first iPhone app", "mobile-apps", ["Swift", "SwiftUI", "App Store"]),
    "android_kwame": (
        "Kotlin and Jetpack Compose for Android developers",
        "mobile-apps",
        ["Kotlin", "Android", "Jetpack Compose"],
    ),
    "ml_elena": (
        "Machine learning engineer: PyTorch models in production",
        "machine-learning",
        ["PyTorch", "MLOps", "Deep learning"],
    ),
    "llm_arjun": ("LLM applications: retrieval, prompts and evaluation", "machine-learning", ["LLMs", "NLP", "RAG"]),
    "stats_olivia": (
        "Statistics and A/B testing for product teams",
        "data-science",
        ["Statistics", "Experiment design", "SQL"],
    ),
    "pandas_diego": (
        "Data analysis with pandas and SQL, dashboards that answer questions",
        "data-science",
        ["pandas", "SQL", "Visualisation"],
    ),
    "dataeng_jonas": ("Data pipelines with Airflow, dbt and Spark", "data-engineering", ["Airflow", "dbt", "Spark"]),
    "ux_camille": (
        "UX research and usability testing that changes decisions",
        "ux-design",
        ["User research", "Usability testing", "Figma"],
    ),
    "figma_aiko": ("Figma prototyping and design systems", "ux-design", ["Figma", "Prototyping", "Design systems"]),
    "brand_sofia": (
        "Branding and logo design for small businesses",
        "graphic-design",
        ["Branding", "Logo design", "Typography"],
    ),
    "fundraise_yusuf": (
        "Raise your seed round: pitch decks and investor meetings",
        "startups",
        ["Fundraising", "Pitch decks"],
    ),
    "seo_fatima": ("SEO and content strategy for organic growth", "marketing", ["SEO", "Content strategy"]),
    "ads_noah": ("Paid ads on Google and Meta that pay for themselves", "marketing", ["Paid ads", "Google Ads"]),
    "pm_ingrid": (
        "Product management: discovery, roadmaps and OKRs",
        "product-management",
        ["Discovery", "Roadmaps", "OKRs"],
    ),
    "resume_leila": (
        "Résumé and LinkedIn profile rewrites that get interviews",
        "resume-review",
        ["Résumé writing", "LinkedIn profile"],
    ),
    "lead_chidi": (
        "New manager coaching: feedback, one-to-ones and hiring",
        "leadership",
        ["Management", "Feedback", "Team building"],
    ),
    "speak_hannah": ("Public speaking and presentation coaching", "leadership", ["Public speaking", "Presentations"]),
    "english_walsh": (
        "Business English and IELTS preparation",
        "english-conversation",
        ["Business English", "IELTS", "Pronunciation"],
    ),
    "spanish_lucia": (
        "Conversational Spanish with a native speaker from Madrid",
        "spanish-lessons",
        ["Conversational Spanish", "DELE"],
    ),
    "german_schmidt": (
        "German lessons: Goethe exam and everyday conversation",
        "german-lessons",
        ["Conversational German", "Goethe exam"],
    ),
    "budget_rahul": (
        "Personal budgeting, debt payoff and saving plans",
        "personal-finance",
        ["Budgeting", "Debt payoff"],
    ),
    "tax_zanele": ("Bookkeeping and tax basics for freelancers", "accounting", ["Bookkeeping", "Tax basics"]),
    "guitar_mateo": (
        "Acoustic guitar lessons: chords, fingerstyle and theory",
        "guitar",
        ["Acoustic guitar", "Fingerstyle", "Music theory"],
    ),
    "mixing_tomas": (
        "Music production in Ableton: mixing and sound design",
        "music-production",
        ["Ableton Live", "Mixing"],
    ),
    "singing_isabel": ("Vocal technique and breathing for singers", "singing", ["Vocal technique", "Breathing"]),
    "nutrition_amara": ("Sports nutrition and meal planning", "nutrition", ["Sports nutrition", "Meal planning"]),
    "running_lars2": ("Running coach: your first marathon", "fitness-coaching", ["Running", "Endurance"]),
    "strength_kim": (
        "Strength training for beginners, safe and simple",
        "fitness-coaching",
        ["Strength training", "Mobility"],
    ),
}

# (goal in the learner's words, the experts a person would pick)
CASES = [
    ("Pass the system design round at a big tech company", {"sysdesign_anna", "sysdesign_kenji"}),
    ("Get better at LeetCode-style algorithm questions before interviews", {"coding_int_lars"}),
    ("Prepare for tech job interviews", {"sysdesign_anna", "coding_int_lars", "behav_int_nia"}),
    ("Build and launch my first iPhone app", {"ios_hiroshi"}),
    ("Write an Android app in Kotlin", {"android_kwame"}),
    ("Build a web shop with Django", {"django_tobias"}),
    ("Learn to automate boring spreadsheet tasks with code", {"python_priya", "pandas_diego"}),
    ("Deploy a deep learning model to production", {"ml_elena"}),
    ("Build a chatbot that answers questions over our company documents", {"llm_arjun"}),
    ("Run trustworthy A/B tests on our website", {"stats_olivia"}),
    ("Analyse sales data and build dashboards", {"pandas_diego", "stats_olivia"}),
    ("Set up a reliable ETL pipeline for our warehouse", {"dataeng_jonas"}),
    ("Learn how to interview users about our product", {"ux_camille", "pm_ingrid"}),
    ("Design a logo and visual identity for my bakery", {"brand_sofia"}),
    ("Raise money from investors for my startup", {"fundraise_yusuf"}),
    ("Get more visitors to my blog from Google search", {"seo_fatima"}),
    ("Become a better first-time team manager", {"lead_chidi"}),
    ("Stop being nervous when presenting at work", {"speak_hannah"}),
    ("Rewrite my CV so recruiters call me back", {"resume_leila"}),
    ("Score 7.5 in the IELTS exam", {"english_walsh"}),
    ("Aprender a hablar español para viajar", {"spanish_lucia"}),
    ("Ich möchte die Goethe-Prüfung B2 bestehen", {"german_schmidt"}),
    ("Pay off my credit card debt and start saving", {"budget_rahul"}),
    ("File taxes as a freelance designer", {"tax_zanele"}),
    ("Play my favourite songs on the guitar", {"guitar_mateo"}),
    ("Mix my home recordings so they sound professional", {"mixing_tomas"}),
    ("Sing without straining my voice", {"singing_isabel"}),
    ("Eat better while training for a triathlon", {"nutrition_amara", "running_lars2"}),
    ("Run my first marathon next spring", {"running_lars2"}),
    ("Get stronger at the gym without injuring myself", {"strength_kim"}),
]
