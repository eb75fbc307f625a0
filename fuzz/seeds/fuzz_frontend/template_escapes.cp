locals {
  lit  = "%%{ if } $${x} 100% $ %"
  heredoc = <<EOT
%%{ for x in y } $${z}
%{ if c }$%{ endif }%
EOT
  unicode = "a\u00a0${~x~}\u3000b"
}
