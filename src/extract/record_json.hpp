// The extraction record as JSON (/work/notes/record.md): key order fixed, nulls and empty arrays explicit.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/error.hpp"
#include "core/page_record.hpp"

namespace gisa::extract {

// The record in record.md's key order. With an error (code not ok), "error": {"code",
// "message"} follows "url"; with a non-empty file, "file" comes first (JSON Lines output).
nlohmann::ordered_json record_to_json(const core::page_record& record, const core::error& error = {},
                                      const std::string& file = {});

}  // namespace gisa::extract
