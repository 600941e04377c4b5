
data "aws_iam_policy_document" "scp" {
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:root"]
    }
  }
  statement {
    sid       = "Other"
    effect    = "Deny"
    actions   = [
      "ec2:DeleteSomethingVeryLong000",
      "ec2:DeleteSomethingVeryLong001",
      "ec2:DeleteSomethingVeryLong002",
      "ec2:DeleteSomethingVeryLong003",
      "ec2:DeleteSomethingVeryLong004",
      "ec2:DeleteSomethingVeryLong005",
      "ec2:DeleteSomethingVeryLong006",
      "ec2:DeleteSomethingVeryLong007",
      "ec2:DeleteSomethingVeryLong008",
      "ec2:DeleteSomethingVeryLong009",
      "ec2:DeleteSomethingVeryLong010",
      "ec2:DeleteSomethingVeryLong011",
      "ec2:DeleteSomethingVeryLong012",
      "ec2:DeleteSomethingVeryLong013",
      "ec2:DeleteSomethingVeryLong014",
      "ec2:DeleteSomethingVeryLong015",
      "ec2:DeleteSomethingVeryLong016",
      "ec2:DeleteSomethingVeryLong017",
      "ec2:DeleteSomethingVeryLong018",
      "ec2:DeleteSomethingVeryLong019",
      "ec2:DeleteSomethingVeryLong020",
      "ec2:DeleteSomethingVeryLong021",
      "ec2:DeleteSomethingVeryLong022",
      "ec2:DeleteSomethingVeryLong023",
      "ec2:DeleteSomethingVeryLong024",
      "ec2:DeleteSomethingVeryLong025",
      "ec2:DeleteSomethingVeryLong026",
      "ec2:DeleteSomethingVeryLong027",
      "ec2:DeleteSomethingVeryLong028",
      "ec2:DeleteSomethingVeryLong029",
      "ec2:DeleteSomethingVeryLong030",
      "ec2:DeleteSomethingVeryLong031",
      "ec2:DeleteSomethingVeryLong032",
      "ec2:DeleteSomethingVeryLong033",
      "ec2:DeleteSomethingVeryLong034",
      "ec2:DeleteSomethingVeryLong035",
      "ec2:DeleteSomethingVeryLong036",
      "ec2:DeleteSomethingVeryLong037",
      "ec2:DeleteSomethingVeryLong038",
      "ec2:DeleteSomethingVeryLong039",
      "ec2:DeleteSomethingVeryLong040",
      "ec2:DeleteSomethingVeryLong041",
      "ec2:DeleteSomethingVeryLong042",
      "ec2:DeleteSomethingVeryLong043",
      "ec2:DeleteSomethingVeryLong044",
      "ec2:DeleteSomethingVeryLong045",
      "ec2:DeleteSomethingVeryLong046",
      "ec2:DeleteSomethingVeryLong047",
      "ec2:DeleteSomethingVeryLong048",
      "ec2:DeleteSomethingVeryLong049",
      "ec2:DeleteSomethingVeryLong050",
      "ec2:DeleteSomethingVeryLong051",
      "ec2:DeleteSomethingVeryLong052",
      "ec2:DeleteSomethingVeryLong053",
      "ec2:DeleteSomethingVeryLong054",
      "ec2:DeleteSomethingVeryLong055",
      "ec2:DeleteSomethingVeryLong056",
      "ec2:DeleteSomethingVeryLong057",
      "ec2:DeleteSomethingVeryLong058",
      "ec2:DeleteSomethingVeryLong059",
      "ec2:DeleteSomethingVeryLong060",
      "ec2:DeleteSomethingVeryLong061",
      "ec2:DeleteSomethingVeryLong062",
      "ec2:DeleteSomethingVeryLong063",
      "ec2:DeleteSomethingVeryLong064",
      "ec2:DeleteSomethingVeryLong065",
      "ec2:DeleteSomethingVeryLong066",
      "ec2:DeleteSomethingVeryLong067",
      "ec2:DeleteSomethingVeryLong068",
      "ec2:DeleteSomethingVeryLong069",
      "ec2:DeleteSomethingVeryLong070",
      "ec2:DeleteSomethingVeryLong071",
      "ec2:DeleteSomethingVeryLong072",
      "ec2:DeleteSomethingVeryLong073",
      "ec2:DeleteSomethingVeryLong074",
      "ec2:DeleteSomethingVeryLong075",
      "ec2:DeleteSomethingVeryLong076",
      "ec2:DeleteSomethingVeryLong077",
      "ec2:DeleteSomethingVeryLong078",
      "ec2:DeleteSomethingVeryLong079",
      "ec2:DeleteSomethingVeryLong080",
      "ec2:DeleteSomethingVeryLong081",
      "ec2:DeleteSomethingVeryLong082",
      "ec2:DeleteSomethingVeryLong083",
      "ec2:DeleteSomethingVeryLong084",
      "ec2:DeleteSomethingVeryLong085",
      "ec2:DeleteSomethingVeryLong086",
      "ec2:DeleteSomethingVeryLong087",
      "ec2:DeleteSomethingVeryLong088",
      "ec2:DeleteSomethingVeryLong089",
      "ec2:DeleteSomethingVeryLong090",
      "ec2:DeleteSomethingVeryLong091",
      "ec2:DeleteSomethingVeryLong092",
      "ec2:DeleteSomethingVeryLong093",
      "ec2:DeleteSomethingVeryLong094",
      "ec2:DeleteSomethingVeryLong095",
      "ec2:DeleteSomethingVeryLong096",
      "ec2:DeleteSomethingVeryLong097",
      "ec2:DeleteSomethingVeryLong098",
      "ec2:DeleteSomethingVeryLong099",
      "ec2:DeleteSomethingVeryLong100",
      "ec2:DeleteSomethingVeryLong101",
      "ec2:DeleteSomethingVeryLong102",
      "ec2:DeleteSomethingVeryLong103",
      "ec2:DeleteSomethingVeryLong104",
      "ec2:DeleteSomethingVeryLong105",
      "ec2:DeleteSomethingVeryLong106",
      "ec2:DeleteSomethingVeryLong107",
      "ec2:DeleteSomethingVeryLong108",
      "ec2:DeleteSomethingVeryLong109",
      "ec2:DeleteSomethingVeryLong110",
      "ec2:DeleteSomethingVeryLong111",
      "ec2:DeleteSomethingVeryLong112",
      "ec2:DeleteSomethingVeryLong113",
      "ec2:DeleteSomethingVeryLong114",
      "ec2:DeleteSomethingVeryLong115",
      "ec2:DeleteSomethingVeryLong116",
      "ec2:DeleteSomethingVeryLong117",
      "ec2:DeleteSomethingVeryLong118",
      "ec2:DeleteSomethingVeryLong119",
      "ec2:DeleteSomethingVeryLong120",
      "ec2:DeleteSomethingVeryLong121",
      "ec2:DeleteSomethingVeryLong122",
      "ec2:DeleteSomethingVeryLong123",
      "ec2:DeleteSomethingVeryLong124",
      "ec2:DeleteSomethingVeryLong125",
      "ec2:DeleteSomethingVeryLong126",
      "ec2:DeleteSomethingVeryLong127",
      "ec2:DeleteSomethingVeryLong128",
      "ec2:DeleteSomethingVeryLong129",
      "ec2:DeleteSomethingVeryLong130",
      "ec2:DeleteSomethingVeryLong131",
      "ec2:DeleteSomethingVeryLong132",
      "ec2:DeleteSomethingVeryLong133",
      "ec2:DeleteSomethingVeryLong134",
      "ec2:DeleteSomethingVeryLong135",
      "ec2:DeleteSomethingVeryLong136",
      "ec2:DeleteSomethingVeryLong137",
      "ec2:DeleteSomethingVeryLong138",
      "ec2:DeleteSomethingVeryLong139",
      
      
      
      
      
      
      
      
      
      "ec2:DeleteSomethingVeryLong149"
    ]
    resources = ["*"]
  }
}
resource "aws_organizations_policy" "scp" {
  name    = "scp"
  content = data.aws_iam_policy_document.scp.json
}
resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.scp.id
  target_id = "r-abcd"
}
