import AMQPClient
import Foundation
import Testing

@Suite("AMQP URL")
struct AMQPURLTests {
    @Test("defaults: guest/guest, 5672, vhost /")
    func defaults() throws {
        let url = try AMQPURL(parsing: "amqp://rabbit.example")
        #expect(url == AMQPURL(host: "rabbit.example", port: 5672, user: "guest", password: "guest", vhost: "/"))
        #expect(try AMQPURL(parsing: "amqp://rabbit.example/").vhost == "/")
    }

    @Test("every part given, percent-decoded", arguments: [
        ("amqp://user:pass@host:5673/vhost", AMQPURL(host: "host", port: 5673, user: "user", password: "pass", vhost: "vhost")),
        ("amqp://u%40x:p%3Aw@127.0.0.1:1/%2F", AMQPURL(host: "127.0.0.1", port: 1, user: "u@x", password: "p:w", vhost: "/")),
        ("amqp://h/%2Fprod", AMQPURL(host: "h", user: "guest", password: "guest", vhost: "/prod")),
        ("AMQP://bob@h:5672/a%20b", AMQPURL(host: "h", user: "bob", password: "guest", vhost: "a b")),
    ])
    func parses(text: String, expected: AMQPURL) throws {
        #expect(try AMQPURL(parsing: text) == expected)
        #expect(try AMQPURL(URL(string: text)!) == expected)
    }

    @Test("refused", arguments: ["redis://h", "amqp://", "amqp:///vhost", "amqp://h/a/b", "not a url", "amqp://h:0/"])
    func refuses(text: String) {
        #expect(throws: AMQPError.self) { try AMQPURL(parsing: text) }
    }

    @Test("the description hides the password")
    func descriptionHidesPassword() throws {
        let url = try AMQPURL(parsing: "amqp://user:secret@h:5672/%2F")
        #expect(url.description == "amqp://user@h:5672/%2F")
    }
}
