#include "gateway/http/responder.hpp"

#include <utility>

#include "reply_state.hpp"
#include "stream_state.hpp"

namespace gateway::http {

namespace detail {

reply_state::reply_state(std::weak_ptr<session> connection,
                         std::shared_ptr<post_gate> gate,
                         std::uint64_t sequence,
                         std::size_t max_stream_queue_bytes)
    : connection_(std::move(connection)),
      gate_(std::move(gate)),
      sequence_(sequence),
      max_stream_queue_bytes_(max_stream_queue_bytes) {}

reply_state::~reply_state() {
  if (!answered_.load()) {
    answer(error_response(500, "internal",
                          "the request was dropped without a response"));
  }
}

void reply_state::answer(response reply) {
  if (!claim()) return;
  if (observer_) observer_(reply.status);
  with_live_session(*gate_, connection_, [&](session& live) {
    live.post_response(sequence_, std::move(reply));
  });
}

stream_writer reply_state::start_stream(unsigned status, header_list headers) {
  if (!claim()) return stream_writer();
  if (observer_) observer_(status);

  auto stream = std::make_shared<stream_state>(connection_, gate_, sequence_,
                                               max_stream_queue_bytes_);
  bool posted = false;
  with_live_session(*gate_, connection_, [&](session& live) {
    live.post_stream_start(sequence_, status, std::move(headers), stream);
    posted = true;
  });
  if (!posted) stream->finish();
  return stream_writer(std::move(stream));
}

}  // namespace detail

responder::responder(std::shared_ptr<detail::reply_state> state)
    : state_(std::move(state)) {}

void responder::operator()(response answer) const {
  if (state_) state_->answer(std::move(answer));
}

stream_writer responder::start_stream(
    unsigned status,
    std::vector<std::pair<std::string, std::string>> headers) const {
  if (!state_) return stream_writer();
  return state_->start_stream(status, std::move(headers));
}

void responder::observe(std::function<void(unsigned status)> observer) const {
  if (state_) state_->observe(std::move(observer));
}

}  // namespace gateway::http
