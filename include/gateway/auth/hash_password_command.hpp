// The `choria-rest-gateway hash-password` subcommand, which makes the
// bcrypt hashes that go into the users file.
#pragma once

#include <iosfwd>

namespace gateway::auth {

// Reads one line from `in` as the password (its trailing "\n" or "\r\n"
// removed), hashes it with bcrypt at cost 12 and writes the hash and a
// newline to `out`. Returns 0 on success. Returns 1 after writing an error
// to `err` when no line could be read, the password is empty, longer than
// 72 bytes or contains a NUL byte. Never echoes the password; turning off
// terminal echo while the user types is the caller's job.
[[nodiscard]] int run_hash_password(std::istream& in, std::ostream& out,
                                    std::ostream& err);

}  // namespace gateway::auth
