"""Expert recommendations (learning.recommendations, learning.embeddings)."""

import os

from .env import env

# The embedding model's matrix products are small (a few tokens × 384): OpenBLAS's thread pool
# costs far more than it gains on them, and on a busy two-core machine a 10 ms encode became a
# second. One thread per process; set before NumPy is first imported (settings load first).
os.environ.setdefault("OPENBLAS_NUM_THREADS", env.str("OPENBLAS_NUM_THREADS", default="1"))

# "semantic" ranks with the packaged all-MiniLM-L6-v2 vectors; "keywords" uses only topics,
# skills and words in common (no model loaded: for machines without NumPy or the model package).
RECOMMENDATIONS_MODE = env.str("RECOMMENDATIONS_MODE", default="semantic")
# Queue the worker to re-embed an expert page when it is published (off in the test settings).
RECOMMENDATIONS_EMBED_ON_PUBLISH = env.bool("RECOMMENDATIONS_EMBED_ON_PUBLISH", default=True)
