# By user id:
terraform import appmixer_user.ops 5c88a1f0e4b0a2c3d4e5f601

# By username (needs the real Appmixer API; the contract dialect cannot search users):
terraform import appmixer_user.ops username:ops@example.com
