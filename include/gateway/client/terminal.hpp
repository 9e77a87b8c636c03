// Terminal helpers: password prompts without echo and the screen width.
#pragma once

#include <optional>
#include <string>

namespace gateway::client {

// Reads one line as a password. When standard input is a terminal, writes
// prompt to standard error and turns echo off while the line is typed.
// Otherwise it reads the first line of standard input without a prompt.
// A trailing carriage return is dropped. Returns nullopt at end of input.
[[nodiscard]] std::optional<std::string> read_password(
    const std::string& prompt);

// True when fd is a terminal.
[[nodiscard]] bool is_terminal(int fd);

// The width of the terminal on fd in columns, or fallback when fd is not a
// terminal or reports no width.
[[nodiscard]] int terminal_width(int fd, int fallback);

// True when output to fd may use ANSI colours: fd is a terminal, NO_COLOR
// is unset and TERM is not "dumb".
[[nodiscard]] bool use_colour(int fd);

}  // namespace gateway::client
