// Writing an event stream: a header with chunked transfer encoding, one
// chunk per send(), and the last chunk on close().
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "session.hpp"
#include "stream_state.hpp"

namespace gateway::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

void session::post_stream_start(std::uint64_t sequence, unsigned status,
                                header_list headers,
                                std::shared_ptr<stream_state> stream) {
  net::post(tcp().get_executor(), [self = shared_from_this(), sequence, status,
                                   headers = std::move(headers),
                                   stream = std::move(stream)]() mutable {
    if (self->phase_ != phase::handling || sequence != self->sequence_) {
      return stream->finish();
    }

    // Chunked transfer encoding, which delimits the stream, needs HTTP/1.1.
    if (self->version_ < 11) {
      stream->finish();
      return self->send_response(
          error_response(505, "http_version_not_supported",
                         "event streams need HTTP/1.1"),
          false);
    }
    self->start_stream(status, headers, std::move(stream));
  });
}

void session::post_chunk(std::uint64_t sequence, std::string data) {
  net::post(tcp().get_executor(), [self = shared_from_this(), sequence,
                                   data = std::move(data)]() mutable {
    if (self->phase_ != phase::streaming || sequence != self->sequence_ ||
        self->stream_ending_) {
      return;
    }
    self->chunks_.push_back(std::move(data));
    self->write_next_chunk();
  });
}

void session::post_stream_end(std::uint64_t sequence) {
  net::post(tcp().get_executor(), [self = shared_from_this(), sequence] {
    if (self->phase_ != phase::streaming || sequence != self->sequence_) {
      return;
    }
    self->stream_ending_ = true;
    self->write_next_chunk();
  });
}

void session::start_stream(unsigned status, const header_list& headers,
                           std::shared_ptr<stream_state> stream) {
  phase_ = phase::streaming;
  event_stream_ = std::move(stream);
  chunks_.clear();
  stream_ending_ = false;

  auto& header = stream_header_.emplace();
  header.version(version_);
  header.result(status >= 200 && status <= 599 ? status : 500);
  header.set(bhttp::field::content_type, "text/event-stream");
  header.set(bhttp::field::cache_control, "no-cache");
  for (const auto& [name, value] : headers) {
    if (name.find_first_of("\r\n:") == std::string::npos &&
        value.find_first_of("\r\n") == std::string::npos && !name.empty()) {
      header.set(name, value);
    }
  }
  header.keep_alive(keep_alive_);
  header.chunked(true);

  chunk_in_flight_ = true;
  tcp().expires_after(state_->options.write_timeout);
  auto& serializer = stream_serializer_.emplace(header);
  with_stream([&](auto& stream) {
    bhttp::async_write_header(
        stream, serializer,
        beast::bind_front_handler(&session::on_stream_header,
                                  shared_from_this()));
  });
}

void session::on_stream_header(beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  chunk_in_flight_ = false;
  if (ec) return fail(ec, "write stream header");
  write_next_chunk();
}

void session::write_next_chunk() {
  if (chunk_in_flight_ || phase_ != phase::streaming) return;
  if (chunks_.empty()) {
    if (stream_ending_) end_stream();
    return;
  }

  chunk_in_flight_ = true;
  tcp().expires_after(state_->options.write_timeout);
  with_stream([&](auto& stream) {
    net::async_write(stream, bhttp::make_chunk(net::buffer(chunks_.front())),
                     beast::bind_front_handler(&session::on_chunk_written,
                                               shared_from_this()));
  });
}

void session::on_chunk_written(beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  chunk_in_flight_ = false;
  if (ec) return fail(ec, "write stream chunk");
  if (event_stream_) event_stream_->sent(chunks_.front().size());
  chunks_.pop_front();
  write_next_chunk();
}

void session::end_stream() {
  chunk_in_flight_ = true;
  tcp().expires_after(state_->options.write_timeout);
  with_stream([&](auto& stream) {
    net::async_write(stream, bhttp::make_chunk_last(),
                     beast::bind_front_handler(&session::on_last_chunk_written,
                                               shared_from_this()));
  });
}

void session::on_last_chunk_written(beast::error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  chunk_in_flight_ = false;
  if (ec) return fail(ec, "write last stream chunk");

  event_stream_->finish();
  event_stream_.reset();
  stream_serializer_.reset();
  stream_header_.reset();
  if (!keep_alive_) return close();
  do_read_header();
}

}  // namespace gateway::http::detail
