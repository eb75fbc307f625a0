"""time-app: answers the current UTC time on /now (reference deployment 5)."""
import datetime
import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/now")
def now():
    return jsonify(utc=datetime.datetime.now(datetime.timezone.utc).isoformat())


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
