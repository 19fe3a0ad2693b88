import AuctionServer
print("todo")
