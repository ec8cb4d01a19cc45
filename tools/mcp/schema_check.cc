#include "mcp/schema_check.h"

#include <cmath>
#include <cstddef>

namespace stratamem::mcp {
namespace {

using Json = nlohmann::json;

bool IsInteger(const Json& v) {
  if (v.is_number_integer()) return true;
  // JSON Schema: 5.0 is an integer.
  return v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>();
}

bool HasType(const Json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "integer") return IsInteger(v);
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return false;
}

std::string TypeNames(const Json& type) {
  if (type.is_string()) return type.get<std::string>();
  std::string out;
  for (const auto& t : type) out += (out.empty() ? "" : " or ") + t.get<std::string>();
  return out;
}

// JSON Schema string lengths count characters, not bytes.
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The schema a local "$ref" points to, or null.
const Json* Resolve(const Json& schema, const Json* root) {
  auto ref = schema.find("$ref");
  if (ref == schema.end()) return &schema;
  if (root == nullptr || !ref->is_string()) return nullptr;
  std::string pointer = ref->get<std::string>();
  if (pointer.rfind("#", 0) != 0) return nullptr;
  const Json* at = root;
  Json::json_pointer p(pointer.substr(1));
  if (!at->contains(p)) return nullptr;
  return &(*at)[p];
}

}  // namespace

std::string CheckAgainstSchema(const Json& value, const Json& given, const std::string& path, const Json* root) {
  const Json* resolved = Resolve(given, root);
  if (resolved == nullptr) return path + ": unresolvable schema reference";
  const Json& schema = *resolved;
  if (auto type = schema.find("type"); type != schema.end()) {
    bool ok = false;
    if (type->is_string()) {
      ok = HasType(value, *type);
    } else {
      for (const auto& t : *type) ok = ok || HasType(value, t);
    }
    if (!ok) return path + ": must be " + TypeNames(*type);
  }
  if (auto allowed = schema.find("enum"); allowed != schema.end()) {
    bool found = false;
    for (const auto& a : *allowed) found = found || a == value;
    if (!found) return path + ": must be one of " + allowed->dump();
  }
  if (value.is_number()) {
    double x = value.get<double>();
    if (auto min = schema.find("minimum"); min != schema.end() && x < min->get<double>()) {
      return path + ": must be at least " + min->dump();
    }
    if (auto max = schema.find("maximum"); max != schema.end() && x > max->get<double>()) {
      return path + ": must be at most " + max->dump();
    }
    if (auto max = schema.find("exclusiveMaximum"); max != schema.end() && x >= max->get<double>()) {
      return path + ": must be less than " + max->dump();
    }
  }
  if (value.is_string()) {
    size_t len = CodePoints(value.get<std::string>());
    if (auto min = schema.find("minLength"); min != schema.end() && len < min->get<size_t>()) {
      return path + (min->get<size_t>() == 1 ? ": must not be empty" : ": is too short");
    }
    if (auto max = schema.find("maxLength"); max != schema.end() && len > max->get<size_t>()) {
      return path + ": must be at most " + max->dump() + " characters";
    }
  }
  if (value.is_array()) {
    if (auto max = schema.find("maxItems"); max != schema.end() && value.size() > max->get<size_t>()) {
      return path + ": must have at most " + max->dump() + " items";
    }
    auto items = schema.find("items");
    for (size_t i = 0; i < value.size(); ++i) {
      if (items != schema.end()) {
        std::string error = CheckAgainstSchema(value[i], *items, path + "[" + std::to_string(i) + "]", root);
        if (!error.empty()) return error;
      }
      if (schema.value("uniqueItems", false)) {
        for (size_t j = 0; j < i; ++j) {
          if (value[i] == value[j]) return path + ": items must be unique";
        }
      }
    }
  }
  if (value.is_object()) {
    const Json no_properties = Json::object();
    auto props_it = schema.find("properties");
    const Json& props = props_it != schema.end() ? *props_it : no_properties;
    if (auto required = schema.find("required"); required != schema.end()) {
      for (const auto& name : *required) {
        if (!value.contains(name.get<std::string>())) return path + ": missing " + name.get<std::string>();
      }
    }
    bool closed = schema.contains("additionalProperties") && schema["additionalProperties"] == false;
    for (const auto& [name, item] : value.items()) {
      auto prop = props.find(name);
      if (prop == props.end()) {
        if (closed) return (path == "arguments" || path.empty() ? name : path + "." + name) + ": unknown field";
        continue;
      }
      bool top = path == "arguments" || path.empty();
      std::string error = CheckAgainstSchema(item, *prop, top ? name : path + "." + name, root);
      if (!error.empty()) return error;
    }
  }
  return "";
}

}  // namespace stratamem::mcp
