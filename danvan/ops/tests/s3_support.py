"""The bucket the S3 storage tests use (moto answers for it), and what it holds."""

BUCKET = "danvan-media"
ENDPOINT = "http://s3.danvan.test:9000"  # a MinIO-style endpoint, answered by moto


def objects(client):
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            for item in listed}  # fmt: skip
