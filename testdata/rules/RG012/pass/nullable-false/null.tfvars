deny_root = null
