# A setting, read into value:
terraform import appmixer_config.signup_scope API_USER_CREATE_SCOPE

# A secret, whose value stays out of the state; the next apply sends value_wo:
terraform import appmixer_config.jwt_secret value_wo:JWTSecret
