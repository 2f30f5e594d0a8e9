// `gisa status`: placeholder until it lands (issue #13).
#include "app/commands.hpp"

namespace gisa::app {

int run_status(const status_options& /*options*/) {
    return not_built("status", "issue #13");
}

}  // namespace gisa::app
