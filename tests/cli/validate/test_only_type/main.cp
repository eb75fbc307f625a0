# test_thing belongs to the test-only provider, which only the test
# program (cpstack-test) has: to cpstack it is an unknown type.
resource "test_thing" "a" {
  name = "a"
}
