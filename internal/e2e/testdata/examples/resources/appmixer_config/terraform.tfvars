jwt_secret = "jwt-example-secret-81c2"
