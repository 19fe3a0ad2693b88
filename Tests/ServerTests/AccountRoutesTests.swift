import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryBroker
import JWTKit
import Testing

@Suite("Accounts")
struct AccountRoutesTests {
    @Test("register with form, JSON and multipart bodies", arguments: ["form", "json", "multipart"])
    func register(encoding: String) async throws {
        try await TestApp.run { client in
            let body: Body =
                switch encoding {
                case "json": .json(#"{"username": "ann", "password": "pw-123456", "extra": 1}"#)
                case "multipart": .multipart([("username", "ann"), ("password", "pw-123456")])
                default: .form(["username": "ann", "password": "pw-123456"])
                }
            let reply = try await client.call(.post, "/account", body)
            #expect(reply.status == .created)
            let user = try reply.decoded(UserBody.self)
            #expect(user.username == "ann" && user.id > 0)
            #expect(reply.object.keys.sorted() == ["id", "username"])
        }
    }

    @Test func duplicateUsernameIs409() async throws {
        try await TestApp.run { client in
            _ = try await client.register("bob")
            let again = try await client.call(.post, "/account", .form(["username": "bob", "password": "other"]))
            #expect(again.status == .conflict)
            #expect(again.detail.contains("taken"))
        }
    }

    @Test("invalid registrations are 422 and name the field", arguments: [
        (Body.form(["password": "pw"]), "username"),
        (Body.form(["username": "carl"]), "password"),
        (Body.form(["username": "", "password": "pw"]), "username"),
        (Body.form(["username": " carl", "password": "pw"]), "username"),
        (Body.form(["username": "carl ", "password": "pw"]), "username"),
        (Body.form(["username": "ca\u{1}rl", "password": "pw"]), "username"),
        (Body.form(["username": String(repeating: "x", count: 65), "password": "pw"]), "username"),
        (Body.form(["username": "carl", "password": ""]), "password"),
        (Body.form(["username": "carl", "password": String(repeating: "p", count: 73)]), "password"),
        (Body.json(#"{"username": {"a": 1}, "password": "pw"}"#), "username"),
        (Body.json("[1, 2]"), "body"),
        (Body.json("{not json"), "body"),
    ])
    func invalidRegistration(body: Body, field: String) async throws {
        try await TestApp.run { client in
            let reply = try await client.call(.post, "/account", body)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.detail.hasPrefix(field), "\(reply.detail)")
            // Nothing was created.
            let login = try await client.call(.post, "/account/token", .form(["username": "carl", "password": "pw"]))
            #expect(login.status == .unauthorized)
        }
    }

    @Test func tokenLoginAndMe() async throws {
        try await TestApp.run { client in
            _ = try await client.call(.post, "/account", .form(["username": "dora", "password": "pw-dora"]))
            let token = try await client.call(
                .post, "/account/token", .form(["grant_type": "password", "username": "dora", "password": "pw-dora"]))
            #expect(token.status == .created)
            let body = try token.decoded(TokenBody.self)
            #expect(body.tokenType == "bearer")
            let jwt = body.accessToken
            for path in ["/account/me", "/account/me/"] {
                let me = try await client.call(.get, path, token: jwt)
                #expect(me.status == .ok, "\(path)")
                #expect(try me.decoded(UserBody.self).username == "dora")
            }
            let json = try await client.call(.post, "/account/token", .json(#"{"username":"dora","password":"pw-dora"}"#))
            #expect(json.status == .created)
        }
    }

    @Test("incomplete logins are 422 and name the field", arguments: [
        (Body.form(["password": "pw-fay"]), "username"),
        (Body.form(["username": "fay"]), "password"),
        (Body.form(["username": "fay\u{0}", "password": "pw-fay"]), "username"),  // PostgreSQL cannot hold NUL
        (Body.form(["username": "fay", "password": "pw-fay", "grant_type": "client_credentials"]), "grant_type"),
        (Body.json(#"{"username": "fay", "password": ["pw-fay"]}"#), "password"),
    ])
    func invalidLogin(body: Body, field: String) async throws {
        try await TestApp.run { client in
            _ = try await client.call(.post, "/account", .form(["username": "fay", "password": "pw-fay"]))
            let reply = try await client.call(.post, "/account/token", body)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.detail.hasPrefix(field), "\(reply.detail)")
        }
    }

    @Test("wrong credentials are 401 with WWW-Authenticate", arguments: [("erin", "wrong"), ("nobody", "pw-erin")])
    func badLogin(username: String, password: String) async throws {
        try await TestApp.run { client in
            _ = try await client.call(.post, "/account", .form(["username": "erin", "password": "pw-erin"]))
            let reply = try await client.call(.post, "/account/token", .form(["username": username, "password": password]))
            #expect(reply.status == .unauthorized)
            #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            #expect(!reply.detail.isEmpty)
        }
    }

    @Test("missing, malformed and forged tokens are 401", arguments: [
        nil, "Bearer", "Basic abc", "Bearer not.a.jwt",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    ])
    func badTokens(header: String?) async throws {
        try await TestApp.run { client in
            var headers: HTTPFields = [:]
            if let header { headers[.authorization] = header }
            let reply = try await client.call(.get, "/account/me", headers: headers)
            #expect(reply.status == .unauthorized)
            #expect(reply.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    /// The protected group holds every route that needs a user, and only those.
    @Test func protectedRoutesNeedATokenAndOpenOnesDoNot() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ivy")
            let lot = try await client.createLot(owner)
            for (method, path) in [
                (HTTPRequest.Method.get, "/account/me"), (.delete, "/account/token"), (.post, "/account/logout"),
                (.post, "/lots"), (.patch, "/lots/\(lot)/status?lot_status=finished"), (.post, "/lots/\(lot)/bids"),
                (.patch, "/lots/\(lot)/bids"),
            ] {
                let reply = try await client.call(method, path, .form(["amount": "20"]))
                #expect(reply.status == .unauthorized, "\(method) \(path)")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer", "\(method) \(path)")
                #expect(reply.detail == "Not authenticated", "\(method) \(path)")
            }
            for path in ["/lots", "/lots/\(lot)", "/lots/\(lot)/bids", "/lots/\(lot)/events"] {
                #expect(try await client.call(.get, path).status == .ok, "\(path)")
            }
            // The scheme is case-insensitive.
            let lower = try await client.call(.get, "/account/me", headers: [.authorization: "bearer \(owner.token)"])
            #expect(lower.status == .ok)
        }
    }

    /// In a sessions outage a token this process saw stays accepted; one it never saw is 503, not 401.
    @Test func sessionsOutageRefusesUnknownTokensWith503() async throws {
        let settings = try TestApp.settings()
        let sessions = SwitchableSessions()
        let store = try BackendFactory.makeStore(settings.storage, logger: .init(label: "test"))
        let app = try await buildApplication(
            settings: settings, dependencies: AuctionDependencies(store: store, broker: InMemoryBroker(), sessions: sessions))
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.sqlitePath + suffix) } }
        try await app.test(.router) { client in
            let user = try await client.register("jay")
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: settings.jwt.secret), digestAlgorithm: .sha256)
            var claims = try await keys.verify(user.token, as: TokenClaims.self)
            claims.jti = IDClaim(value: "made-elsewhere")
            try await sessions.create(id: "made-elsewhere", userID: user.id, expiresAt: claims.exp.value)
            let unseen = try await keys.sign(claims)

            sessions.down.withLock { $0 = true }
            #expect(try await client.call(.get, "/account/me", token: user.token).status == .ok)
            let reply = try await client.call(.get, "/account/me", token: unseen)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.detail.contains("sessions"), "\(reply.detail)")
        }
    }

    @Test func expiredTokenIs401() async throws {
        let settings = try TestApp.settings()
        try await TestApp.run(settings: settings) { client in
            let user = try await client.register("fay")
            // A token signed with the right key whose session exists, but expired.
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: settings.jwt.secret), digestAlgorithm: .sha256)
            let valid = try await keys.verify(user.token, as: TokenClaims.self)
            var expired = valid
            expired.exp = ExpirationClaim(value: Date().addingTimeInterval(-60))
            let token = try await keys.sign(expired)
            let reply = try await client.call(.get, "/account/me", token: token)
            #expect(reply.status == .unauthorized)
            #expect(try await client.call(.get, "/account/me", token: user.token).status == .ok)
        }
    }

    @Test("logout revokes the token", arguments: [(HTTPRequest.Method.delete, "/account/token"), (.post, "/account/logout")])
    func logout(method: HTTPRequest.Method, path: String) async throws {
        try await TestApp.run { client in
            let user = try await client.register("gus")
            let other = try await client.call(.post, "/account/token", .form(["username": "gus", "password": "secret-pw"]))
            let otherToken = try other.decoded(TokenBody.self).accessToken
            #expect(try await client.call(method, path, token: user.token).status == .ok)
            let after = try await client.call(.get, "/account/me", token: user.token)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.call(method, path, token: user.token).status == .unauthorized)
            // Only that session ended.
            #expect(try await client.call(.get, "/account/me", token: otherToken).status == .ok)
        }
    }

    @Test("tokens follow JWT_ALGORITHM", arguments: [JWTSettings.Algorithm.HS256, .HS384, .HS512])
    func algorithms(algorithm: JWTSettings.Algorithm) async throws {
        var settings = try TestApp.settings()
        settings.jwt.algorithm = algorithm
        try await TestApp.run(settings: settings) { client in
            let user = try await client.register("hal")
            let header = try #require(user.token.split(separator: ".").first)
            var base64 = String(header)
            while base64.count % 4 != 0 { base64 += "=" }
            let decoded = String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
            #expect(decoded.contains(algorithm.rawValue))
            #expect(try await client.call(.get, "/account/me", token: user.token).status == .ok)
        }
    }
}
