SESSION_HOST_KEY = "_karyalay_host"
