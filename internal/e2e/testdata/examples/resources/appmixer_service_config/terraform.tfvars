slack_client_secret = "slack-example-secret-5d0e"
