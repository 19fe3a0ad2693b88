/// The OpenAPI 3 description of the HTTP API (API.md is the contract it follows).
enum OpenAPIDocument {
    private static func error(_ description: String) -> String {
        ##"{"description": "\##(description)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}"##
    }

    private static func ok(_ description: String, _ schema: String) -> String {
        ##"{"description": "\##(description)", "content": {"application/json": {"schema": \##(schema)}}}"##
    }

    private static func body(_ schema: String) -> String {
        #"""
        {"required": true, "content": {
          "application/x-www-form-urlencoded": {"schema": \#(schema)},
          "application/json": {"schema": \#(schema)},
          "multipart/form-data": {"schema": \#(schema)}}}
        """#
    }

    private static let lotID = ##"{"name": "lot_id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}"##
    private static let secured = #""security": [{"bearer": []}]"#
    private static let unauthorized = error("Missing, invalid, expired or revoked token")
    private static let invalid = error("Validation error naming the field")

    static let json: String = #"""
    {
      "openapi": "3.0.3",
      "info": {"title": "Auction API", "version": "2.0.0"},
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        "schemas": {
          "Error": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
          "Money": {"type": "number", "minimum": 0.01, "maximum": 1000000000000, "multipleOf": 0.01},
          "User": {"type": "object", "properties": {"id": {"type": "integer"}, "username": {"type": "string"}}},
          "Token": {"type": "object", "properties": {"access_token": {"type": "string"}, "token_type": {"type": "string", "enum": ["bearer"]}}},
          "Message": {"type": "object", "properties": {"message": {"type": "string"}}},
          "Lot": {"type": "object", "properties": {
            "id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
            "starting_price": {"$ref": "#/components/schemas/Money"}, "status": {"type": "string", "enum": ["running", "finished"]},
            "highest_price": {"$ref": "#/components/schemas/Money"}, "highest_bidder": {"type": "string", "nullable": true},
            "bid_count": {"type": "integer"}, "owner": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time", "nullable": true}, "seq": {"type": "integer"},
            "min_increment": {"$ref": "#/components/schemas/Money"}, "soft_close_seconds": {"type": "integer", "nullable": true}}},
          "Bid": {"type": "object", "properties": {
            "id": {"type": "integer"}, "lot_id": {"type": "integer"}, "amount": {"$ref": "#/components/schemas/Money"},
            "bidder": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"}}},
          "Event": {"type": "object", "required": ["type", "lot_id", "seq", "at"], "properties": {
            "type": {"type": "string", "enum": ["bid_placed", "lot_status_changed", "lot_extended", "lot_closed"]},
            "lot_id": {"type": "integer"}, "seq": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}},
            "additionalProperties": true},
          "Credentials": {"type": "object", "required": ["username", "password"], "properties": {
            "username": {"type": "string", "minLength": 1, "maxLength": 64}, "password": {"type": "string", "minLength": 1},
            "grant_type": {"type": "string", "enum": ["password"]}}},
          "NewLot": {"type": "object", "required": ["title", "description", "starting_price"], "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": {"type": "string", "maxLength": 10000},
            "starting_price": {"$ref": "#/components/schemas/Money"}, "ends_at": {"type": "string", "format": "date-time"},
            "duration_seconds": {"type": "integer", "minimum": 1}, "min_increment": {"$ref": "#/components/schemas/Money"},
            "soft_close_seconds": {"type": "integer", "minimum": 0, "maximum": 86400}}},
          "Amount": {"type": "object", "required": ["amount"], "properties": {"amount": {"$ref": "#/components/schemas/Money"}}},
          "Status": {"type": "object", "properties": {"lot_status": {"type": "string", "enum": ["running", "finished"]},
            "status": {"type": "string", "enum": ["running", "finished"]}}}
        }
      },
      "paths": {
        "/account": {"post": {"summary": "Register", "requestBody": \#(body(##"{"$ref": "#/components/schemas/Credentials"}"##)),
          "responses": {"201": \#(ok("The account", ##"{"$ref": "#/components/schemas/User"}"##)), "409": \#(error("Username taken")), "413": \#(error("Body over 64 KiB")), "422": \#(invalid)}}},
        "/account/token": {
          "post": {"summary": "Log in (OAuth2 password form)", "requestBody": \#(body(##"{"$ref": "#/components/schemas/Credentials"}"##)),
            "responses": {"201": \#(ok("A bearer token", ##"{"$ref": "#/components/schemas/Token"}"##)), "401": \#(error("Unknown user or wrong password")), "422": \#(invalid)}},
          "delete": {"summary": "Log out: revoke this token", \#(secured),
            "responses": {"200": \#(ok("Logged out", ##"{"$ref": "#/components/schemas/Message"}"##)), "401": \#(unauthorized)}}},
        "/account/logout": {"post": {"summary": "Log out: revoke this token", \#(secured),
          "responses": {"200": \#(ok("Logged out", ##"{"$ref": "#/components/schemas/Message"}"##)), "401": \#(unauthorized)}}},
        "/account/me": {"get": {"summary": "The current user", \#(secured),
          "responses": {"200": \#(ok("The user", ##"{"$ref": "#/components/schemas/User"}"##)), "401": \#(unauthorized)}}},
        "/account/me/": {"get": {"summary": "The current user", \#(secured),
          "responses": {"200": \#(ok("The user", ##"{"$ref": "#/components/schemas/User"}"##)), "401": \#(unauthorized)}}},
        "/lots": {
          "post": {"summary": "Create a lot", \#(secured), "requestBody": \#(body(##"{"$ref": "#/components/schemas/NewLot"}"##)),
            "responses": {"201": \#(ok("The lot", ##"{"$ref": "#/components/schemas/Lot"}"##)), "401": \#(unauthorized), "422": \#(invalid)}},
          "get": {"summary": "List lots, newest first", "parameters": [
              {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["running", "finished", "all"], "default": "running"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}},
              {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
            "responses": {"200": \#(ok("The lots; header X-Next-After gives the next page's cursor", ##"{"type": "array", "items": {"$ref": "#/components/schemas/Lot"}}"##)), "422": \#(invalid)}}},
        "/lots/{lot_id}": {"get": {"summary": "One lot", "parameters": [\#(lotID)],
          "responses": {"200": \#(ok("The lot", ##"{"$ref": "#/components/schemas/Lot"}"##)), "404": \#(error("Unknown lot"))}}},
        "/lots/{lot_id}/bids": {
          "post": {"summary": "Place a bid", \#(secured), "parameters": [\#(lotID)], "requestBody": \#(body(##"{"$ref": "#/components/schemas/Amount"}"##)),
            "responses": {"201": \#(ok("The bid", ##"{"$ref": "#/components/schemas/Bid"}"##)), "400": \#(error("Lot finished, amount too low, or already bid")),
              "401": \#(unauthorized), "403": \#(error("Own lot")), "404": \#(error("Unknown lot")), "422": \#(invalid)}},
          "patch": {"summary": "Raise your bid", \#(secured), "parameters": [\#(lotID)], "requestBody": \#(body(##"{"$ref": "#/components/schemas/Amount"}"##)),
            "responses": {"200": \#(ok("The bid", ##"{"$ref": "#/components/schemas/Bid"}"##)), "400": \#(error("Lot finished or amount too low")),
              "401": \#(unauthorized), "403": \#(error("Own lot")), "404": \#(error("Unknown lot, or no bid yet")), "422": \#(invalid)}},
          "get": {"summary": "The lot's bids, highest first", "parameters": [\#(lotID)],
            "responses": {"200": \#(ok("The bids", ##"{"type": "array", "items": {"$ref": "#/components/schemas/Bid"}}"##)), "404": \#(error("Unknown lot"))}}},
        "/lots/{lot_id}/status": {"patch": {"summary": "Change a lot's status (owner only)", \#(secured), "parameters": [\#(lotID),
            {"name": "lot_status", "in": "query", "schema": {"type": "string", "enum": ["running", "finished"]}}],
          "requestBody": {"required": false, "content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Status"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
          "responses": {"200": \#(ok("Status updated", ##"{"$ref": "#/components/schemas/Message"}"##)), "401": \#(unauthorized), "403": \#(error("Not the owner")),
            "404": \#(error("Unknown lot")), "409": \#(error("A finished lot cannot run again")), "422": \#(invalid)}}},
        "/lots/{lot_id}/events": {"get": {"summary": "The lot's event log", "parameters": [\#(lotID),
            {"name": "since", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}}],
          "responses": {"200": \#(ok("Events after `since`, in order", ##"{"type": "array", "items": {"$ref": "#/components/schemas/Event"}}"##)), "404": \#(error("Unknown lot")), "422": \#(invalid)}}},
        "/healthz": {"get": {"summary": "The process is up", "responses": {"200": {"description": "Up"}}}},
        "/readyz": {"get": {"summary": "Storage, broker and sessions answer", "responses": {"200": {"description": "Ready"}, "503": \#(error("Not ready"))}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 document"}}}}
      }
    }
    """#
}
