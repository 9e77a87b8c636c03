#include "actors/event_reader.hpp"

namespace gateway {

event_reader_actor::behavior_type event_reader(
    event_reader_actor::pointer self,
    std::shared_ptr<const storage::event_store> store) {
  return {
      [store](status_atom,
              const std::string& request_id) -> caf::result<status_record> {
        auto status = store->request_status(request_id);
        if (!status)
          return make_error(gateway_errc::not_found,
                            "request " + request_id + " not found");
        return status_record{std::move(*status)};
      },
      [store](replies_atom, const std::string& request_id,
              const std::string& cursor,
              std::uint64_t limit) -> caf::result<reply_page_result> {
        std::string error;
        auto page = store->replies(request_id, cursor,
                                   static_cast<std::size_t>(limit), &error);
        if (!page) {
          auto code = error == "invalid cursor" || error == "invalid limit"
                          ? gateway_errc::invalid
                          : gateway_errc::storage_failed;
          return make_error(code, error);
        }
        return reply_page_result{std::move(page->replies),
                                 std::move(page->next_cursor)};
      },
      [](ready_atom) { return true; },
  };
}

}  // namespace gateway
