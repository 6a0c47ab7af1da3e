print("erofs-top")
