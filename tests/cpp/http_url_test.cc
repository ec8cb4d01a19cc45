// URL parsing of the engine's HTTP client (util/http_connection.h).
#include <gtest/gtest.h>

#include "util/http_client.h"
#include "util/http_connection.h"

namespace stratamem {
namespace {

HttpUrl Parse(const std::string& url) {
  HttpUrl u;
  Status st = ParseHttpUrl(url, &u);
  EXPECT_TRUE(st.ok()) << url << ": " << st.ToString();
  return u;
}

TEST(HttpUrlTest, SchemeHostPortAndTarget) {
  HttpUrl u = Parse("https://api.example.com/v1/embeddings?x=1#frag");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "api.example.com");
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/v1/embeddings?x=1");
  EXPECT_EQ(u.origin(), "https://api.example.com");

  u = Parse("http://127.0.0.1:11434");
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.port, "11434");
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(u.host_header, "127.0.0.1:11434");
}

TEST(HttpUrlTest, Ipv6LiteralsAndUserinfo) {
  HttpUrl u = Parse("http://[::1]:8080/v1");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "8080");
  EXPECT_EQ(u.host_header, "[::1]:8080");

  u = Parse("https://user:secret@host.example/v1");
  EXPECT_EQ(u.userinfo, "user:secret");
  EXPECT_EQ(u.host, "host.example");
  EXPECT_EQ(u.host_header, "host.example");
  EXPECT_EQ(RedactUrl("https://user:secret@host.example/v1"), "https://***@host.example/v1");
}

TEST(HttpUrlTest, BadUrlsAreInvalidArguments) {
  for (const char* bad : {"ftp://host/", "host:80/v1", "http:///v1", "http://host:0/",
                          "http://host:65536/", "http://host:8a/", "http://[::1/",
                          "http://host/a b", "http://host/\r\nX-Injected: 1"}) {
    HttpUrl u;
    Status st = ParseHttpUrl(bad, &u);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace stratamem
