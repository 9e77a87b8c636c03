// Runs a fuzz target over every file in the folders given on the command
// line, for builds without libFuzzer. The normal test suite uses it to replay
// the seed corpora, so that each fixed crash stays a regression test and each
// target keeps linking with the compiler of the normal build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
    return 2;
  }
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code error;
    std::filesystem::directory_iterator it(argv[i], error);
    if (error) {
      std::fprintf(stderr, "failed to read corpus folder %s: %s\n", argv[i],
                   error.message().c_str());
      return 1;
    }
    for (const auto& entry : it) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (!in.eof() && in.fail()) {
        std::fprintf(stderr, "failed to read %s\n", entry.path().c_str());
        return 1;
      }
      LLVMFuzzerTestOneInput(
          reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "no inputs found in the corpus folders\n");
    return 1;
  }
  std::printf("replayed %zu inputs\n", replayed);
  return 0;
}
