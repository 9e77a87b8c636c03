#include "stream_client.hpp"

#include <deque>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace gateway::integration {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

struct event_stream_client::impl {
  net::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::buffer_body> parser;
  std::string text;                // body bytes not yet split into events
  std::deque<stream_event> ready;  // events split off by await_comments
  bool finished = false;
  int comments = 0;

  // Runs one asynchronous step to completion under a deadline.
  template <typename Start>
  beast::error_code run(std::chrono::milliseconds deadline, Start start) {
    beast::error_code result;
    stream.expires_after(deadline);
    start([&](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  // Reads more of the body before deadline. Returns false when the body
  // ended, the read failed or the deadline passed.
  bool read_more(std::chrono::steady_clock::time_point deadline) {
    if (finished || parser.is_done()) {
      finished = true;
      return false;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0)) return false;

    char chunk[8192];
    auto& body = parser.get().body();
    body.data = chunk;
    body.size = sizeof chunk;
    auto ec = run(left, [&](auto done) {
      bhttp::async_read_some(stream, buffer, parser, done);
    });
    text.append(chunk, sizeof chunk - body.size);
    if (ec == bhttp::error::need_buffer) ec = {};
    return !ec;
  }

  // Splits off the first complete event in text, if there is one.
  std::optional<stream_event> take_event() {
    while (true) {
      auto end = text.find("\n\n");
      if (end == std::string::npos) return std::nullopt;
      std::string block = text.substr(0, end);
      text.erase(0, end + 2);

      stream_event event;
      bool has_field = false;
      std::size_t start = 0;
      while (start <= block.size()) {
        auto stop = block.find('\n', start);
        if (stop == std::string::npos) stop = block.size();
        std::string line = block.substr(start, stop - start);
        start = stop + 1;
        if (line.empty()) continue;
        if (line[0] == ':') {
          ++comments;
          continue;
        }
        auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        std::string value =
            colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        has_field = true;
        if (name == "event") event.event = value;
        if (name == "id") event.id = value;
        if (name == "data")
          event.data += (event.data.empty() ? "" : "\n") + value;
      }
      if (has_field) return event;
    }
  }
};

event_stream_client::event_stream_client() : impl_(std::make_unique<impl>()) {
  impl_->parser.body_limit(boost::none);
}

event_stream_client::~event_stream_client() {
  beast::error_code ignored;
  impl_->stream.socket().close(ignored);
}

bool event_stream_client::open(unsigned short port, const std::string& target,
                               const std::string& token,
                               const std::string& last_event_id,
                               std::string* error) {
  using namespace std::chrono_literals;
  net::ip::tcp::endpoint endpoint(net::ip::address_v4::loopback(), port);
  auto ec = impl_->run(
      10s, [&](auto done) { impl_->stream.async_connect(endpoint, done); });
  if (ec) {
    *error = "connect: " + ec.message();
    return false;
  }

  bhttp::request<bhttp::empty_body> message{bhttp::verb::get, target, 11};
  message.set(bhttp::field::host, "127.0.0.1");
  message.set(bhttp::field::accept, "text/event-stream");
  message.set(bhttp::field::authorization, "Bearer " + token);
  if (!last_event_id.empty()) message.set("Last-Event-ID", last_event_id);
  ec = impl_->run(10s, [&](auto done) {
    bhttp::async_write(impl_->stream, message, done);
  });
  if (ec) {
    *error = "write: " + ec.message();
    return false;
  }
  ec = impl_->run(10s, [&](auto done) {
    bhttp::async_read_header(impl_->stream, impl_->buffer, impl_->parser, done);
  });
  if (ec) {
    *error = "read header: " + ec.message();
    return false;
  }
  return true;
}

unsigned event_stream_client::status() const {
  return impl_->parser.get().result_int();
}

std::string event_stream_client::header(const std::string& name) const {
  auto found = impl_->parser.get().find(name);
  if (found == impl_->parser.get().end()) return "";
  return std::string(found->value());
}

std::optional<stream_event> event_stream_client::next_event(
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (!impl_->ready.empty()) {
      auto event = std::move(impl_->ready.front());
      impl_->ready.pop_front();
      return event;
    }
    if (auto event = impl_->take_event()) return event;
    if (!impl_->read_more(deadline)) return std::nullopt;
  }
}

bool event_stream_client::await_comments(int count,
                                         std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    while (auto event = impl_->take_event())
      impl_->ready.push_back(std::move(*event));
    if (impl_->comments >= count) return true;
    if (!impl_->read_more(deadline)) return false;
  }
}

bool event_stream_client::finished() const {
  return impl_->finished || impl_->parser.is_done();
}

int event_stream_client::comments() const { return impl_->comments; }

}  // namespace gateway::integration
