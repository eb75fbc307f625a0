resource "aws_iam_role" "r" {
assume_role_policy = jsonencode({
Version = "2012-10-17"
Statement = [{
Effect = "Allow"
Principal = { Service = "ec2.amazonaws.com" }
}]
})
x = f(g(
1
))
list = [
[1, 2],
[
3,
],
]
}
