// _core.resolve_model / pull_model / known_models / model_store_dir /
// model_settings: the model store of include/stratamem/models.h, and the one
// reader of a model's settings (src/embed/model_settings.h), for the Python
// backends that run the model themselves.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "embed/model_settings.h"
#include "errors.h"
#include "stratamem/models.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace stratamem::python {
namespace {

ModelStoreOptions StoreOptions(const std::string& store_dir, const std::string& hf_cache_dir) {
  ModelStoreOptions o;
  o.store_dir = store_dir;
  o.hf_cache_dir = hf_cache_dir;
  return o;
}

nb::dict Resolve(const std::string& name, const std::string& store_dir, const std::string& hf_cache_dir) {
  Result<ResolvedModel> r = Status::Internal("not run");
  {
    nb::gil_scoped_release release;
    r = ResolveModel(name, StoreOptions(store_dir, hf_cache_dir));
  }
  if (!r.ok()) ThrowStatus(r.status());
  nb::dict d;
  d["dir"] = r->dir;
  d["name"] = r->name;
  d["source"] = r->source;
  return d;
}

nb::dict Pull(const std::string& name, const std::string& store_dir, const std::string& repository_url,
              const std::string& local_repository, bool force, double timeout_seconds) {
  PullOptions o;
  o.store.store_dir = store_dir;
  o.repository_url = repository_url;
  o.local_repository = local_repository;
  o.force = force;
  o.timeout_seconds = timeout_seconds;
  Result<PullResult> r = Status::Internal("not run");
  {
    nb::gil_scoped_release release;  // a download and a conversion: seconds to minutes
    r = PullModel(name, o);
  }
  if (!r.ok()) ThrowStatus(r.status());
  nb::dict d;
  d["name"] = r->name;
  d["dir"] = r->dir;
  d["source"] = r->source;
  d["jar_sha256"] = r->jar_sha256;
  d["licence"] = r->licence;
  d["already_present"] = r->already_present;
  return d;
}

nb::list Known() {
  nb::list out;
  for (const KnownModelInfo& i : KnownModelInfos()) {
    nb::dict d;
    d["name"] = i.name;
    d["licence"] = i.licence;
    d["artifact"] = i.artifact;
    d["jar_sha256"] = i.jar_sha256;
    d["pooling"] = i.pooling;
    d["query_prefix"] = i.query_prefix;
    d["passage_prefix"] = i.passage_prefix;
    d["max_tokens"] = i.max_tokens;
    out.append(d);
  }
  return out;
}

nb::dict Settings(const std::string& dir, const std::string& name_hint) {
  embed::ModelSettings s;
  if (Status st = embed::ReadModelSettings(dir, name_hint, &s); !st.ok()) ThrowStatus(st);
  nb::dict d;
  d["name"] = s.name;
  d["pooling"] = s.pooling == embed::Pooling::kCls ? "cls" : "mean";
  d["query_prefix"] = s.query_prefix;
  d["passage_prefix"] = s.passage_prefix;
  d["max_tokens"] = s.max_tokens;
  d["normalize"] = s.normalize;
  return d;
}

}  // namespace

void BindModels(nb::module_& m) {
  m.def("resolve_model", &Resolve, "name"_a, nb::kw_only(), "store_dir"_a = "", "hf_cache_dir"_a = "",
        "Finds a model offline: {'dir', 'name', 'source'} (NotFoundError when absent).");
  m.def("pull_model", &Pull, "name"_a, nb::kw_only(), "store_dir"_a = "", "repository_url"_a = "",
        "local_repository"_a = "", "force"_a = false, "timeout_seconds"_a = 900.0,
        "Fetches (pinned by sha256) and converts a known model into the model store.");
  m.def("known_models", &Known, "The models `models pull` knows.");
  m.def("model_store_dir", [](const std::string& store_dir) { return ModelStoreDir(StoreOptions(store_dir, "")); },
        "store_dir"_a = "", "The model store directory after the environment defaults.");
  m.def("model_settings", &Settings, "model_dir"_a, "name_hint"_a = "",
        "Pooling, prefixes and maximum length of the model in model_dir.");
}

}  // namespace stratamem::python
