// pml_set_log_handler: adapts the C callback to the core's handler type.
#include "c_api/handles.hpp"
#include "core/log.hpp"

namespace {
pml_log_fn g_c_handler = nullptr;

void forward_to_c(void *user_data, int level, const char *message) {
  if (g_c_handler) g_c_handler(user_data, static_cast<pml_log_level>(level), message);
}
}  // namespace

extern "C" {

void pml_set_log_handler(pml_log_fn fn, void *user_data) {
  g_c_handler = fn;
  pml::set_log_handler(fn ? &forward_to_c : nullptr, user_data);
}

}  // extern "C"
