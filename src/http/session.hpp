// One client connection: reads a request, hands it to the handler, writes
// the response (complete or an event stream), then reads the next request.
// Internal to gateway_http.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "gateway/http/message.hpp"
#include "server_state.hpp"

namespace gateway::http::detail {

struct stream_state;

using header_list = std::vector<std::pair<std::string, std::string>>;
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Every private member runs on the connection's strand. The public post_*
// members may be called from any thread, but only inside
// with_live_session(), so that they never post onto a destroyed
// io_context. Each names its request by sequence number, and a response
// meant for an earlier request is ignored.
class session : public std::enable_shared_from_this<session> {
 public:
  // With a TLS context, the session speaks HTTPS and starts with the TLS
  // handshake. The context must outlive the session.
  session(boost::asio::ip::tcp::socket socket,
          std::shared_ptr<server_state> state,
          boost::asio::ssl::context* tls_context);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // Starts reading requests.
  void start();

  // Sends a 503 response and closes, for connections beyond max_connections.
  void reject_busy();

  // Closes the connection and cancels its pending operations.
  void shutdown();

  void post_response(std::uint64_t sequence, response answer);
  void post_stream_start(std::uint64_t sequence, unsigned status,
                         header_list headers,
                         std::shared_ptr<stream_state> stream);
  void post_chunk(std::uint64_t sequence, std::string data);
  void post_stream_end(std::uint64_t sequence);
  void post_abort(std::uint64_t sequence);

 private:
  enum class phase { reading, handling, writing, streaming, closed };

  // Reading, in session.cpp.
  void do_handshake(bool busy);
  void on_handshake(bool busy, boost::beast::error_code ec);
  void do_read_header();
  void on_read_header(boost::beast::error_code ec, std::size_t bytes);
  void on_continue_written(boost::beast::error_code ec, std::size_t bytes);
  void do_read_body();
  void on_read_body(boost::beast::error_code ec, std::size_t bytes);
  void on_read_error(boost::beast::error_code ec);
  void dispatch_request();

  // Complete responses, in session_write.cpp.
  void send_response(response answer, bool keep_alive);
  void send_error(unsigned status, std::string_view code,
                  std::string_view message);
  void on_write(bool keep_alive, boost::beast::error_code ec,
                std::size_t bytes);

  // Event streams, in session_stream.cpp.
  void start_stream(unsigned status, const header_list& headers,
                    std::shared_ptr<stream_state> stream);
  void on_stream_header(boost::beast::error_code ec, std::size_t bytes);
  void write_next_chunk();
  void on_chunk_written(boost::beast::error_code ec, std::size_t bytes);
  void on_last_chunk_written(boost::beast::error_code ec, std::size_t bytes);
  void end_stream();

  void fail(boost::beast::error_code ec, const char* operation);
  void close();

  // The TCP layer, for deadlines, the executor and closing.
  boost::beast::tcp_stream& tcp();

  // Calls operation(stream) with the plain or the TLS stream.
  template <typename Operation>
  void with_stream(Operation&& operation) {
    std::visit(std::forward<Operation>(operation), stream_);
  }

  std::string remote_address_;
  std::variant<boost::beast::tcp_stream, tls_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<server_state> state_;
  phase phase_ = phase::reading;

  // Keeps the session alive while it waits for a response or streams, when
  // no asynchronous operation holds it. Cleared by the next read and by
  // close(); responders and stream writers hold the session only weakly.
  std::shared_ptr<session> self_;

  // The request being read or handled.
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  std::uint64_t sequence_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool is_head_ = false;

  // The complete response being written.
  boost::beast::http::response<boost::beast::http::string_body> response_;

  // The event stream being written.
  std::shared_ptr<stream_state> event_stream_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>>
      stream_header_;
  std::optional<
      boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      stream_serializer_;
  std::deque<std::string> chunks_;
  bool chunk_in_flight_ = false;
  bool stream_ending_ = false;
};

}  // namespace gateway::http::detail
