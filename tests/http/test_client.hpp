// A blocking HTTP client for the server tests. Every operation has a
// deadline, so a server that never answers fails the test instead of
// hanging it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace gateway::http::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using string_response = bhttp::response<bhttp::string_body>;

class test_client {
 public:
  explicit test_client(unsigned short port,
                       std::chrono::seconds deadline = std::chrono::seconds(10))
      : stream_(io_), deadline_(deadline) {
    net::ip::tcp::endpoint endpoint(net::ip::address_v4::loopback(), port);
    stream_.connect(endpoint);
  }

  // Sends raw bytes.
  beast::error_code write(std::string_view bytes) {
    return run([&](auto done) {
      net::async_write(stream_, net::buffer(bytes.data(), bytes.size()), done);
    });
  }

  beast::error_code send(bhttp::request<bhttp::string_body> message) {
    message.prepare_payload();
    return run([&](auto done) { bhttp::async_write(stream_, message, done); });
  }

  // Reads one complete response; nullopt on error or end of stream.
  std::optional<string_response> read() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    auto ec = run(
        [&](auto done) { bhttp::async_read(stream_, buffer_, parser, done); });
    if (ec) return std::nullopt;
    return parser.release();
  }

  std::optional<string_response> request(bhttp::verb method, std::string target,
                                         std::string body = "") {
    bhttp::request<bhttp::string_body> message{method, target, 11};
    message.set(bhttp::field::host, "127.0.0.1");
    message.body() = std::move(body);
    if (send(std::move(message))) return std::nullopt;
    return read();
  }

  // Reads until the server closes the connection. Returns true on end of
  // stream or reset, false on a deadline or when data arrives instead.
  bool await_close() {
    char byte;
    auto ec = run([&](auto done) {
      stream_.async_read_some(net::buffer(&byte, 1), done);
    });
    if (!ec) return false;
    return ec != beast::error::timeout;
  }

  beast::tcp_stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

  // Runs one asynchronous operation to completion under the deadline.
  template <typename Start>
  beast::error_code run(Start start) {
    beast::error_code result;
    stream_.expires_after(deadline_);
    start([&](beast::error_code ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run();
    return result;
  }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::chrono::seconds deadline_;
};

// A queue that the handler fills on an HTTP thread and the test drains.
template <typename T>
class mailbox {
 public:
  // Notifies under the lock, because the taker may destroy the mailbox as
  // soon as it sees the item.
  void put(T value) {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.push_back(std::move(value));
    ready_.notify_all();
  }

  // Waits up to ten seconds for an item.
  std::optional<T> take() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!ready_.wait_for(lock, std::chrono::seconds(10),
                         [&] { return !items_.empty(); })) {
      return std::nullopt;
    }
    T value = std::move(items_.front());
    items_.pop_front();
    return value;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

}  // namespace gateway::http::testing
