ann_password = "ann-Example-pass-42"
