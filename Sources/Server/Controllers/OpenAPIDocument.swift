/// The OpenAPI 3 description of the HTTP API: the schemas here, the operations in
/// OpenAPIOperations.swift. Request schemas say exactly what the server accepts
/// (lengths in code points, patterns for the characters refused), so a fuzzer's
/// valid request is accepted and its invalid one refused.
enum OpenAPIDocument {
    /// Money: a number, or its text; more than 0, at most 10^12, at most 2 decimals.
    private static let money = #"""
        {"anyOf": [
          {"type": "number", "minimum": 0.01, "maximum": 1000000000000, "multipleOf": 0.01},
          {"type": "string", "pattern": "^(?!0+(\\.0+)?$)(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$|^1000000000000(\\.0{1,2})?$"}]}
        """#
    /// Text without NUL, which PostgreSQL cannot store.
    private static let noNUL = #""^[^\\x00]*$""#
    /// Not empty once spaces are trimmed, and no NUL.
    private static let notBlank = #""^[^\\x00]*[^\\x00\\p{Z}\\t\\n\\x0b\\f\\r\\x85][^\\x00]*$""#
    /// No control (Cc) or format (Cf) character, and no space (Z) at either end; the
    /// classes spelled out, as generators cannot draw from `\p{...}`.
    private static let username: String = {
        let space = #"\\x20\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"#
        let control = #"\\x00-\\x1f\\x7f-\\x9f\\xad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e"#
            + #"\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb"#
        return #""^[^\#(space)\#(control)]([^\#(control)]*[^\#(space)\#(control)])?$""#
    }()

    private static let schemas = #"""
        {
          "Error": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
          "Money": {"type": "number", "minimum": 0.01, "maximum": 1000000000000, "multipleOf": 0.01},
          "User": {"type": "object", "required": ["id", "username"], "properties": {
            "id": {"type": "integer", "minimum": 1}, "username": {"type": "string"}}},
          "Token": {"type": "object", "required": ["access_token", "token_type"], "properties": {
            "access_token": {"type": "string"}, "token_type": {"type": "string", "enum": ["bearer"]}}},
          "Message": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
          "Lot": {"type": "object", "required": ["id", "title", "description", "starting_price", "status", "highest_price",
              "highest_bidder", "bid_count", "owner", "created_at", "ends_at", "seq", "min_increment", "soft_close_seconds",
              "increment_rule", "next_minimum_bid", "reserve_met", "buy_now_price"],
            "properties": {
              "id": {"type": "integer", "minimum": 1}, "title": {"type": "string"}, "description": {"type": "string"},
              "starting_price": {"$ref": "#/components/schemas/Money"}, "status": {"type": "string", "enum": ["running", "finished"]},
              "highest_price": {"$ref": "#/components/schemas/Money"}, "highest_bidder": {"type": "string", "nullable": true},
              "bid_count": {"type": "integer", "minimum": 0}, "owner": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time"},
              "ends_at": {"type": "string", "format": "date-time", "nullable": true}, "seq": {"type": "integer", "minimum": 0},
              "min_increment": {"allOf": [{"$ref": "#/components/schemas/Money"}], "description": "Under the ladder, its step at the current price"},
              "soft_close_seconds": {"type": "integer", "minimum": 1, "maximum": 86400, "nullable": true},
              "increment_rule": {"type": "string", "enum": ["fixed", "ladder"]},
              "next_minimum_bid": {"type": "number", "minimum": 0.01, "multipleOf": 0.01, "description": "The least amount the next bid may have"},
              "reserve_met": {"type": "boolean", "nullable": true, "description": "Null when the lot has no reserve"},
              "buy_now_price": {"allOf": [{"$ref": "#/components/schemas/Money"}], "nullable": true,
                "description": "Null without one, and after the first accepted bid"},
              "reserve_price": {"allOf": [{"$ref": "#/components/schemas/Money"}], "nullable": true,
                "description": "Only for the lot's owner (GET /lots/{lot_id} with the owner's token, and POST /lots)"}}},
          "Bid": {"type": "object", "required": ["id", "lot_id", "amount", "bidder", "created_at", "updated_at", "leading"], "properties": {
            "id": {"type": "integer", "minimum": 1}, "lot_id": {"type": "integer", "minimum": 1},
            "amount": {"$ref": "#/components/schemas/Money"}, "bidder": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
            "leading": {"type": "boolean"},
            "max_amount": {"allOf": [{"$ref": "#/components/schemas/Money"}], "nullable": true,
              "description": "Only in the bidder's own answers (POST and PATCH)"}}},
          "Event": {"oneOf": [
            {"type": "object", "required": ["type", "lot_id", "bidder", "amount", "seq", "at"], "properties": {
              "type": {"type": "string", "enum": ["bid_placed"]}, "lot_id": {"type": "integer"}, "bidder": {"type": "string"},
              "amount": {"$ref": "#/components/schemas/Money"}, "seq": {"type": "integer", "minimum": 1},
              "at": {"type": "string", "format": "date-time"},
              "auto": {"type": "boolean", "enum": [true], "description": "The server's raise of the leader's bid up to their maximum"}}},
            {"type": "object", "required": ["type", "lot_id", "status", "seq", "at"], "properties": {
              "type": {"type": "string", "enum": ["lot_status_changed"]}, "lot_id": {"type": "integer"},
              "status": {"type": "string", "enum": ["running", "finished"]}, "seq": {"type": "integer", "minimum": 1},
              "at": {"type": "string", "format": "date-time"}}},
            {"type": "object", "required": ["type", "lot_id", "ends_at", "seq", "at"], "properties": {
              "type": {"type": "string", "enum": ["lot_extended"]}, "lot_id": {"type": "integer"},
              "ends_at": {"type": "string", "format": "date-time"}, "seq": {"type": "integer", "minimum": 1},
              "at": {"type": "string", "format": "date-time"}}},
            {"type": "object", "required": ["type", "lot_id", "winner", "amount", "seq", "at"], "properties": {
              "type": {"type": "string", "enum": ["lot_closed"]}, "lot_id": {"type": "integer"},
              "winner": {"type": "string", "nullable": true}, "amount": {"allOf": [{"$ref": "#/components/schemas/Money"}], "nullable": true},
              "seq": {"type": "integer", "minimum": 1}, "at": {"type": "string", "format": "date-time"}}}]},
          "UserEvent": {"type": "object", "required": ["type", "lot_id", "seq", "at"], "properties": {
            "type": {"type": "string", "enum": ["outbid", "auto_bid", "won", "lost"]}, "lot_id": {"type": "integer"},
            "amount": {"allOf": [{"$ref": "#/components/schemas/Money"}], "nullable": true,
              "description": "outbid: the price now; auto_bid: your raised bid; won/lost: the winning price (null without a winner)"},
            "by": {"type": "string", "description": "outbid: who took the lead"},
            "winner": {"type": "string", "nullable": true, "description": "lost: who won (null without a winner)"},
            "seq": {"type": "integer", "minimum": 1, "description": "numbered per user"},
            "at": {"type": "string", "format": "date-time"}}},
          "Registration": {"type": "object", "required": ["username", "password"], "properties": {
            "username": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": \#(username)},
            "password": {"type": "string", "minLength": 1, "maxLength": 72, "pattern": \#(noNUL),
              "description": "At most 72 bytes of UTF-8 (bcrypt reads no more)"}}},
          "Login": {"type": "object", "required": ["username", "password"], "properties": {
            "username": {"type": "string", "pattern": \#(noNUL)}, "password": {"type": "string", "pattern": \#(noNUL)},
            "grant_type": {"type": "string", "enum": ["password", ""]}}},
          "NewLot": \#(newLot(nullable: true)),
          "NewLotForm": \#(newLot(nullable: false)),
          "Amount": {"type": "object", "required": ["amount"], "properties": {
            "amount": \#(money), "max_amount": {"allOf": [\#(money)], "description": "At least amount: the most the server bids for you"}}},
          "Raise": {"type": "object", "anyOf": [{"required": ["amount"]}, {"required": ["max_amount"]}], "properties": {
            "amount": \#(money), "max_amount": {"allOf": [\#(money)],
              "description": "At least amount; alone, it changes only your maximum (not below your visible bid)"}}}
        }
        """#

    /// `POST /lots`: in JSON an optional field may be null; a form has no null.
    private static func newLot(nullable: Bool) -> String {
        let null = nullable ? #", "nullable": true"# : ""
        return #"""
            {"type": "object", "required": ["title", "description", "starting_price"],
             "allOf": [
               {"not": {"required": ["ends_at", "duration_seconds"], "properties": {
                 "ends_at": {"type": "string", "minLength": 1}, "duration_seconds": {"type": "integer"}}}},
               {"not": {"required": ["soft_close_seconds"], "properties": {
                 "soft_close_seconds": {"type": "integer", "minimum": 1}, "ends_at": {"enum": [null, ""]},
                 "duration_seconds": {"enum": [null]}}}},
               {"not": {"required": ["increment_rule", "min_increment"], "properties": {
                 "increment_rule": {"enum": ["ladder"]}, "min_increment": {"not": {"enum": [null]}}}}}],
             "properties": {
              "title": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": \#(notBlank)},
              "description": {"type": "string", "maxLength": 10000, "pattern": \#(noNUL)},
              "starting_price": \#(money),
              "min_increment": {"allOf": [\#(money)]\#(null), "description": "Default 0.01"},
              "ends_at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 0}]\#(null),
                "description": "In the future, at most a year ahead; not with duration_seconds; empty: no end"},
              "duration_seconds": {"type": "integer", "minimum": 1, "maximum": 31622400\#(null),
                "description": "Not with ends_at"},
              "soft_close_seconds": {"type": "integer", "minimum": 0, "maximum": 86400\#(null),
                "description": "More than 0 needs ends_at or duration_seconds"},
              "reserve_price": {"allOf": [\#(money)]\#(null), "description": "Hidden minimum, at least starting_price"},
              "buy_now_price": {"allOf": [\#(money)]\#(null), "description": "Above starting_price and reserve_price"},
              "increment_rule": {"type": "string", "enum": ["fixed", "ladder"]\#(null),
                "description": "Default fixed (min_increment); ladder: the step grows with the price, not with min_increment"}}}
            """#
    }

    private static func body(json: String, form: String) -> String {
        func ref(_ schema: String) -> String { ##"{"$ref": "#/components/schemas/\##(schema)"}"## }
        return #"""
            {"required": true, "content": {
              "application/x-www-form-urlencoded": {"schema": \#(ref(form))},
              "application/json": {"schema": \#(ref(json))},
              "multipart/form-data": {"schema": \#(ref(form))}}}
            """#
    }

    private static func render(_ operation: OpenAPIOperation) -> String {
        var members = [#""operationId": "\#(operation.id)", "summary": "\#(operation.summary)""#]
        if operation.secured { members.append(#""security": [{"bearer": []}]"#) }
        if !operation.parameters.isEmpty { members.append(#""parameters": [\#(operation.parameters.joined(separator: ", "))]"#) }
        if case .fields(let json, let form) = operation.body {
            members.append(#""requestBody": \#(body(json: json, form: form ?? json))"#)
        }
        let responses = operation.responses.map { #""\#($0.status)": \#($0.json)"# }.joined(separator: ",\n      ")
        members.append(#""responses": {\#(responses)}"#)
        return #""\#(operation.method)": {\#(members.joined(separator: ", "))}"#
    }

    private static var paths: String {
        var order: [String] = []
        var byPath: [String: [OpenAPIOperation]] = [:]
        for operation in operations {
            if byPath[operation.path] == nil { order.append(operation.path) }
            byPath[operation.path, default: []].append(operation)
        }
        return order.map { path in
            #""\#(path)": {\#(byPath[path]!.map(render).joined(separator: ",\n    "))}"#
        }.joined(separator: ",\n  ")
    }

    /// The document, rendered once.
    static let json: String = #"""
        {
          "openapi": "3.0.3",
          "info": {"title": "Auction API", "version": "2.0.0",
            "description": "Errors are {\"detail\": \"...\"}; money is a decimal with at most 2 fractional digits. See docs/API.md."},
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": \#(schemas)
          },
          "paths": {
          \#(paths)
          }
        }
        """#
}
