"""Prints the directory of the installed all-MiniLM-L6-v2 weights (used by ctest).

The weights come from the model package stratamem-model-minilm (built by
scripts/build_model_wheel.py); this reads its manifest without importing the
engine, so it works before stratamem itself is installed too."""
import importlib.util
import sys
from pathlib import Path

spec = importlib.util.find_spec("stratamem_models")
roots = list(spec.submodule_search_locations) if spec and spec.submodule_search_locations else []
for root in roots:
    candidate = Path(root) / "all-MiniLM-L6-v2"
    if (candidate / "stratamem_model.json").is_file():
        print(candidate)
        sys.exit(0)
sys.exit("the model package is missing: python3 scripts/build_model_wheel.py && pip install dist/stratamem_model_minilm-*.whl")
