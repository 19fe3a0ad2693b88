import HummingbirdWSClient
print("todo")
