#include "gateway/sim/request_processor.hpp"

#include <ctime>

#include <gtest/gtest.h>

#include "gateway/common/encoding.hpp"
#include "test_support.hpp"

namespace gateway::sim {
namespace {

using choria::rejection;

// Five generated nodes, node-5 silent, checked against a fresh CA.
// The certificates are made once for the suite, since RSA key generation
// takes about a second each.
class RequestProcessor : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new testing::temp_dir();
    files_ = testing::make_test_pki(folder_->path());
  }

  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  void SetUp() override {
    fleet_options options;
    options.count = 5;
    options.silent = {"node-5.example.net"};
    std::string error;
    nodes_ = node_set::create(options, &error);
    ASSERT_TRUE(nodes_) << error;
    verifier_ = choria::node_verifier::create(
        files_.ca_path, choria::default_privileged_patterns(),
        choria::default_allowed_patterns(), &error);
    ASSERT_TRUE(verifier_) << error;
    processor_.emplace(*nodes_, *verifier_,
                       std::vector<std::string>{"mcollective"},
                       node_agents(options.agents), stats_);
    privileged_ =
        testing::load_signer(files_.privileged_cert, files_.privileged_key);
    ordinary_ = testing::load_signer(files_.ordinary_cert, files_.ordinary_key);
    ASSERT_TRUE(privileged_);
    ASSERT_TRUE(ordinary_);
  }

  std::optional<accepted_request> send(
      const choria::signing_identity& signer, const testing::request_spec& spec,
      const std::string& subject = "mcollective.broadcast.agent.rpcutil") {
    std::string request_id;
    auto payload = testing::encode_signed_request(signer, spec, &request_id);
    return processor_->accept(subject, payload, std::time(nullptr));
  }

  static std::vector<std::size_t> positions(
      const std::optional<accepted_request>& accepted) {
    return accepted ? accepted->targets : std::vector<std::size_t>{};
  }

  static inline testing::temp_dir* folder_ = nullptr;
  static inline testing::test_pki files_;
  std::optional<node_set> nodes_;
  std::optional<choria::node_verifier> verifier_;
  fleet_stats stats_;
  std::optional<request_processor> processor_;
  std::optional<choria::signing_identity> privileged_;
  std::optional<choria::signing_identity> ordinary_;
};

TEST_F(RequestProcessor, PrivilegedRequestReachesAllButSilent) {
  auto accepted = send(*privileged_, {});
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->targets, (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(accepted->request.env.caller_id, "choria=alice");
  EXPECT_EQ(stats_.accepted, 1u);
  EXPECT_EQ(stats_.silenced, 1u);
  EXPECT_EQ(stats_.filtered, 0u);
}

TEST_F(RequestProcessor, OrdinaryCertCannotClaimOtherCaller) {
  EXPECT_FALSE(send(*ordinary_, {}));
  EXPECT_EQ(stats_.rejections(rejection::callerid_mismatch), 1u);
  EXPECT_EQ(stats_.accepted, 0u);
}

TEST_F(RequestProcessor, OrdinaryCertAsItself) {
  testing::request_spec spec;
  spec.caller_id = "choria=x.mcollective";
  EXPECT_EQ(positions(send(*ordinary_, spec)).size(), 4u);
}

TEST_F(RequestProcessor, StaleRequestExpires) {
  testing::request_spec spec;
  spec.time = std::time(nullptr) - 3600;
  EXPECT_FALSE(send(*privileged_, spec));
  EXPECT_EQ(stats_.rejections(rejection::expired), 1u);
}

TEST_F(RequestProcessor, MissingReplyToIsRejected) {
  testing::request_spec spec;
  spec.reply_to = "";
  EXPECT_FALSE(send(*privileged_, spec));
  EXPECT_EQ(stats_.rejections(rejection::no_reply_to), 1u);
}

TEST_F(RequestProcessor, TamperedMessageFailsSignature) {
  std::string request_id;
  auto payload = testing::encode_signed_request(*privileged_, {}, &request_id);
  auto transport = nlohmann::json::parse(payload);
  auto secure_text =
      base64_decode(transport["data"].get<std::string>()).value_or("");
  auto secure = nlohmann::json::parse(secure_text);
  auto message = secure["message"].get<std::string>();
  message.replace(message.find("choria=alice"), 12, "choria=mallo");
  secure["message"] = message;
  transport["data"] = base64_encode(secure.dump());

  EXPECT_FALSE(processor_->accept("mcollective.broadcast.agent.rpcutil",
                                  transport.dump(), std::time(nullptr)));
  EXPECT_EQ(stats_.rejections(rejection::bad_signature), 1u);
}

TEST_F(RequestProcessor, GarbageIsMalformed) {
  EXPECT_FALSE(processor_->accept("mcollective.broadcast.agent.rpcutil",
                                  "not json", std::time(nullptr)));
  EXPECT_EQ(stats_.rejections(rejection::malformed), 1u);
  EXPECT_EQ(stats_.messages, 1u);
}

TEST_F(RequestProcessor, IdentityFilterSelectsOneNode) {
  testing::request_spec spec;
  spec.target.identity = {"node-2.example.net"};
  EXPECT_EQ(positions(send(*privileged_, spec)), (std::vector<std::size_t>{1}));
  EXPECT_EQ(stats_.filtered, 4u);
}

TEST_F(RequestProcessor, FactFilterSelectsCountry) {
  testing::request_spec spec;
  spec.target.fact = {{"country", "==", "mt"}};
  EXPECT_EQ(positions(send(*privileged_, spec)),
            (std::vector<std::size_t>{0, 3}));
}

TEST_F(RequestProcessor, CompoundFilterIsCountedAndDropped) {
  testing::request_spec spec;
  spec.target.compound = nlohmann::json::parse(R"([[{"expr":"x"}]])");
  EXPECT_FALSE(send(*privileged_, spec));
  EXPECT_EQ(stats_.unsupported_compound, 1u);
}

TEST_F(RequestProcessor, DirectSubjectAddressesOneNode) {
  EXPECT_EQ(
      positions(send(*privileged_, {}, "mcollective.node.node-3.example.net")),
      (std::vector<std::size_t>{2}));
}

TEST_F(RequestProcessor, DirectSubjectStillAppliesFilter) {
  testing::request_spec spec;
  spec.target.identity = {"node-2.example.net"};
  EXPECT_FALSE(send(*privileged_, spec, "mcollective.node.node-3.example.net"));
}

TEST_F(RequestProcessor, UnknownDirectNodeIsIgnored) {
  EXPECT_FALSE(send(*privileged_, {}, "mcollective.node.other.example.net"));
  EXPECT_EQ(stats_.unknown_node, 1u);
}

TEST_F(RequestProcessor, SilentNodeDirectlyAddressed) {
  EXPECT_FALSE(send(*privileged_, {}, "mcollective.node.node-5.example.net"));
  EXPECT_EQ(stats_.silenced, 1u);
}

TEST_F(RequestProcessor, UnknownCollectiveAndAgent) {
  testing::request_spec other_collective;
  other_collective.collective = "elsewhere";
  EXPECT_FALSE(send(*privileged_, other_collective));
  EXPECT_EQ(stats_.unknown_collective, 1u);

  testing::request_spec other_agent;
  other_agent.agent = "package";
  EXPECT_FALSE(send(*privileged_, other_agent));
  EXPECT_EQ(stats_.unknown_agent, 1u);
}

TEST_F(RequestProcessor, StatsJsonNamesEveryReason) {
  EXPECT_FALSE(send(*ordinary_, {}));
  auto stats = stats_.to_json();
  EXPECT_EQ(stats["rejected"]["callerid_mismatch"], 1);
  for (const char* reason : {"malformed", "untrusted_cert", "not_allowed",
                             "bad_signature", "expired", "no_reply_to"}) {
    EXPECT_EQ(stats["rejected"][reason], 0) << reason;
  }
  EXPECT_EQ(stats["messages"], 1);
}

}  // namespace
}  // namespace gateway::sim
