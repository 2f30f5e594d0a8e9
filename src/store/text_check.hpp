// Refuses text PostgreSQL would refuse: NUL bytes and invalid UTF-8, named by field and byte offset.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gisa::store {

// Why `text` cannot be stored ("NUL byte at byte 12", "invalid UTF-8 at byte 3"), or nullopt.
std::optional<std::string> text_problem(std::string_view text);

// Throws db_error (errc::decode) naming `field` when text_problem finds one.
void check_text(std::string_view field, std::string_view text);

}  // namespace gisa::store
