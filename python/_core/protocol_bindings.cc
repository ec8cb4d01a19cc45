// The <memory> protocol (src/protocol/) for stratamem.wrap: the instruction,
// the read-only context block, the reply parser and the streaming tag filter.
// Pure string work, microseconds per call: the GIL is kept.
#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <utility>
#include <vector>

#include "protocol/echo_guard.h"
#include "protocol/instruction.h"
#include "protocol/memory_block.h"
#include "protocol/stream_filter.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace stratamem::python {
namespace {

protocol::ParseOptions Options(Scope default_scope, double default_importance, size_t max_facts) {
  protocol::ParseOptions o;
  o.default_scope = default_scope;
  o.default_importance = default_importance;
  o.max_facts = max_facts;
  return o;
}

}  // namespace

void BindProtocol(nb::module_& m) {
  using protocol::Fact;
  using protocol::ReplyParse;
  using protocol::StreamFilter;

  m.attr("MEMORY_INSTRUCTION") = std::string(protocol::MemoryInstruction());
  m.attr("MEMORY_OPEN_TAG") = std::string(protocol::kOpenTag);
  m.attr("MEMORY_CLOSE_TAG") = std::string(protocol::kCloseTag);
  m.attr("CONTEXT_OPEN") = std::string(protocol::kContextOpen);
  m.attr("CONTEXT_CLOSE") = std::string(protocol::kContextClose);

  nb::class_<Fact>(m, "Fact", "One fact from a <memory> block.")
      .def_ro("content", &Fact::content)
      .def_ro("scope", &Fact::scope)
      .def_ro("importance", &Fact::importance)
      .def_ro("replaces", &Fact::replaces)
      .def_ro("entities", &Fact::entities, "The fact's inline entities (every one passes save()'s checks).")
      .def_ro("relations", &Fact::relations, "The fact's inline relations (subject, predicate, object).")
      .def("__repr__", [](const Fact& f) {
        return nb::str("Fact({!r}, scope={!r}, importance={}, replaces={!r})")
            .format(f.content, ScopeName(f.scope), f.importance, f.replaces);
      });

  nb::class_<ReplyParse>(m, "ReplyParse", "A reply with its <memory> blocks taken out.")
      .def_ro("visible", &ReplyParse::visible)
      .def_ro("facts", &ReplyParse::facts)
      .def_ro("blocks", &ReplyParse::blocks)
      .def_ro("problems", &ReplyParse::problems)
      .def_ro("unclosed", &ReplyParse::unclosed);

  nb::class_<StreamFilter>(m, "StreamFilter",
                           "Removes <memory> blocks from a reply fed in pieces; holds back only "
                           "bytes that could start the tag.")
      .def("__init__",
           [](StreamFilter* self, Scope default_scope, double default_importance,
              size_t max_facts) {
             new (self) StreamFilter(Options(default_scope, default_importance, max_facts));
           },
           nb::kw_only(), "default_scope"_a = Scope::kUser, "default_importance"_a = 0.5,
           "max_facts"_a = 32)
      .def("feed", &StreamFilter::Feed, "chunk"_a, "Text safe to show now.")
      .def("finish", &StreamFilter::Finish, "The held-back rest; completes `result`.")
      .def_prop_ro("finished", &StreamFilter::finished)
      .def_prop_ro("in_block", &StreamFilter::in_block)
      .def_prop_ro("result", &StreamFilter::result, nb::rv_policy::copy);

  m.def("parse_reply",
        [](std::string_view reply, Scope default_scope, double default_importance,
           size_t max_facts) {
          return protocol::ParseReply(reply, Options(default_scope, default_importance, max_facts));
        },
        "reply"_a, nb::kw_only(), "default_scope"_a = Scope::kUser,
        "default_importance"_a = 0.5, "max_facts"_a = 32,
        "The reply without its <memory> blocks, and the facts in them. Never raises.");

  nb::class_<protocol::EchoGuard>(m, "EchoGuard",
                                  "What a request gave the model; facts echoed from it are not stored.")
      .def(nb::init<>())
      .def("add_message", &protocol::EchoGuard::AddMessage, "parts"_a,
           "One message the model did not write, as its text parts.")
      .def("is_echoed", &protocol::EchoGuard::IsEchoed, "fact"_a)
      .def("own_facts", &protocol::EchoGuard::OwnFacts, "facts"_a, "The facts that are not echoes, in order.");

  m.def("format_memory_context",
        [](const std::vector<std::string>& memories, size_t max_chars) {
          protocol::ContextBlock b = protocol::FormatMemoryContext(memories, max_chars);
          return std::make_pair(std::move(b.text), b.included);
        },
        "memories"_a, "max_chars"_a,
        "(block, how many memories fit): the read-only block for the latest user message.");

  m.def("neutralise_memory_text",
        [](std::string_view text) { return protocol::NeutraliseMemoryText(text); }, "text"_a);
}

}  // namespace stratamem::python
