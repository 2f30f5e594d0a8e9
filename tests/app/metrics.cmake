# The metrics endpoint (issue #13): the registry's text checked by promtool, the server over loopback.
gisa_test(app_metrics_tests SOURCES metrics_server_test.cpp LIBS gisa_app_metrics LABEL integration)
