// Writing complete responses, and the entry points that post responses onto
// the connection's strand.
#include <cctype>
#include <utility>

#include <boost/asio/post.hpp>

#include "session.hpp"
#include "stream_state.hpp"

namespace gateway::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

// Fields the server sets itself, and values that would split the response.
bool is_allowed_field(const std::string& name, const std::string& value) {
  if (name.empty()) return false;
  if (name.find_first_of("\r\n:") != std::string::npos) return false;
  if (value.find_first_of("\r\n") != std::string::npos) return false;
  return !beast::iequals(name, "content-length") &&
         !beast::iequals(name, "transfer-encoding") &&
         !beast::iequals(name, "connection");
}

unsigned valid_status(unsigned status) {
  return status >= 100 && status <= 599 ? status : 500;
}

}  // namespace

void session::post_response(std::uint64_t sequence, response answer) {
  net::post(tcp().get_executor(), [self = shared_from_this(), sequence,
                                   answer = std::move(answer)]() mutable {
    if (self->phase_ != phase::handling || sequence != self->sequence_) {
      return;
    }
    self->send_response(std::move(answer), self->keep_alive_);
  });
}

void session::post_abort(std::uint64_t sequence) {
  net::post(tcp().get_executor(), [self = shared_from_this(), sequence] {
    if (sequence == self->sequence_) self->close();
  });
}

void session::send_response(response answer, bool keep_alive) {
  response_ = {};
  response_.version(version_);
  response_.result(valid_status(answer.status));
  if (!answer.content_type.empty() &&
      is_allowed_field("content-type", answer.content_type)) {
    response_.set(bhttp::field::content_type, answer.content_type);
  }
  for (const auto& [name, value] : answer.headers) {
    if (is_allowed_field(name, value)) response_.insert(name, value);
  }
  response_.keep_alive(keep_alive);
  response_.body() = std::move(answer.body);
  response_.prepare_payload();
  if (is_head_) response_.body().clear();

  phase_ = phase::writing;
  tcp().expires_after(state_->options.write_timeout);
  with_stream([&](auto& stream) {
    bhttp::async_write(stream, response_,
                       beast::bind_front_handler(
                           &session::on_write, shared_from_this(), keep_alive));
  });
}

void session::send_error(unsigned status, std::string_view code,
                         std::string_view message) {
  if (state_->options.on_rejected) state_->options.on_rejected(status);
  is_head_ = false;
  send_response(error_response(status, code, message), false);
}

void session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return fail(ec, "write");
  if (!keep_alive) return close();
  do_read_header();
}

}  // namespace gateway::http::detail
