weather_api_key = "wk-example-3f9a"
