// `gisa run`: placeholder until the daemon issue lands; says so and exits non-zero.
#include "app/commands.hpp"

namespace gisa::app {

int run_daemon(const daemon_options& /*options*/) {
    return not_built("run", "the daemon issue");
}

}  // namespace gisa::app
