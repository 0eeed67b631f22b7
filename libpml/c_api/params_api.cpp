// pml_params_*: string parameters and the progress callback.
#include "c_api/handles.hpp"

using pml::guarded;
using pml::require;

extern "C" {

pml_status pml_params_create(pml_params **out) {
  return guarded("pml_params_create", [&] {
    require(out, "out");
    *out = nullptr;
    *out = new pml_params();
  });
}

pml_status pml_params_set(pml_params *p, const char *key, const char *value) {
  return guarded("pml_params_set", [&] {
    require(p, "params");
    require(key, "key");
    require(value, "value");
    p->params.set(key, value);
  });
}

pml_status pml_params_get(const pml_params *p, const char *key, const char **value) {
  return guarded("pml_params_get", [&] {
    require(p, "params");
    require(key, "key");
    require(value, "value");
    const std::string *found = p->params.find(key);
    *value = found ? found->c_str() : nullptr;
  });
}

pml_status pml_params_parse(pml_params *p, const char *text) {
  return guarded("pml_params_parse", [&] {
    require(p, "params");
    require(text, "text");
    p->params.parse(text);
  });
}

pml_status pml_params_set_progress(pml_params *p, pml_progress_fn fn, void *user_data) {
  return guarded("pml_params_set_progress", [&] {
    require(p, "params");
    if (!fn) {
      p->params.progress = nullptr;
      return;
    }
    p->params.progress = [fn, user_data](const char *stage, int64_t done, int64_t total) {
      return fn(user_data, stage, done, total) != 0;
    };
  });
}

void pml_params_free(pml_params *p) {
  delete p;
}

}  // extern "C"
