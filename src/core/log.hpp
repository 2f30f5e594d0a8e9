// One line per event on stderr, with a level; journald reads the level from a <N> prefix.
#pragma once

#include <string_view>

namespace gisa::core {

enum class log_level { debug, info, notice, warning, error };

// Lines below this level are not written (default: info).
void set_log_level(log_level level) noexcept;
log_level current_log_level() noexcept;
bool log_enabled(log_level level) noexcept;

// Writes "<6>info: message" when stderr goes to the journal (JOURNAL_STREAM is set), else
// "2026-12-05T07:30:00Z info: message". One write per line: lines of threads never interleave.
void log(log_level level, std::string_view message);

}  // namespace gisa::core
