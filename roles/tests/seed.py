"""Reads the agency's seed page, so tests can hold the fixtures to it.

The parsing lives here, in the tests, on purpose: the fixtures are written by
editors, and these readers check them against the source text independently.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_FILE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "source"
    / "ml-engineer-sample-job-descriptions.txt"
)

# Role titles as the seed writes them, and the slugs DESIGN.md fixes for them.
ROLE_SLUGS = {
    "Machine Learning Engineer": "machine-learning-engineer",
    "Natural Language Processing Engineer": "nlp-engineer",
    "Computer Vision Engineer": "computer-vision-engineer",
    "MLOps Engineer": "mlops-engineer",
    "Deep Learning Engineer": "deep-learning-engineer",
    "Edge AI Engineer": "edge-ai-engineer",
}
SECTION_HEADINGS = {
    "Machine Learning Engineer Core Responsibilities": "responsibility",
    "Responsibilities": "responsibility",
    "Hard skills": "hard_skill",
    "Soft skills": "soft_skill",
    "Education": "education",
    "Certifications": "certification",
    "Preferred Qualifications": "preferred_qualification",
}
OVERVIEW_HEADINGS = {"What Does a Machine Learning Engineer Do?", "Position Overview"}
OTHER_HEADINGS = {
    "Looking to Hire a Machine Learning Engineer?",
    "Required Skills and Qualifications",
    "Requirements",
    "National Average Salary",
}
MAIN_ROLE_START = "What Does a Machine Learning Engineer Do?"
MAIN_ROLE_END = "Sample Job Description Templates for Machine Learning Engineers"
TEMPLATES_END = "Need Help Hiring a Machine Learning Engineer?"
BULLET = "\u2022"


def normalise(text: str) -> str:
    """The fixtures may use ASCII apostrophes and hyphens where the seed has typographic ones."""
    return " ".join(text.replace("\u2019", "'").replace("\u2013", "-").split())


@dataclass
class SeedRole:
    title: str
    slug: str
    overview: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    national_average_salary: int | None = None

    @property
    def text(self) -> str:
        """Everything the seed says about this role, title included, normalised."""
        return normalise(" ".join([self.title, *self.lines]))

    @property
    def experience_years(self) -> tuple[int, int | None] | None:
        for bullet in self.sections.get("preferred_qualification", []):
            if match := re.match(r"(\d+)-(\d+) years", bullet):
                return int(match[1]), int(match[2])
            if match := re.match(r"(\d+)\+ years", bullet):
                return int(match[1]), None
        return None


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    stripped = [line.strip() for line in lines]
    start, end = stripped.index(MAIN_ROLE_START), stripped.index(MAIN_ROLE_END)
    blocks = [("Machine Learning Engineer", stripped[start:end])]
    titles = [i for i, line in enumerate(stripped) if line in ROLE_SLUGS and i > end]
    stop = stripped.index(TEMPLATES_END)
    for position, index in enumerate(titles):
        following = titles[position + 1] if position + 1 < len(titles) else stop
        blocks.append((stripped[index], stripped[index + 1 : following]))
    return blocks


def parse_seed() -> dict[str, SeedRole]:
    roles = {}
    for title, block in _blocks(SEED_FILE.read_text(encoding="utf-8").splitlines()):
        role = SeedRole(title=title, slug=ROLE_SLUGS[title])
        current = None
        for line in block:
            if not line:
                continue
            role.lines.append(line)
            if line in SECTION_HEADINGS:
                current = SECTION_HEADINGS[line]
            elif line in OVERVIEW_HEADINGS:
                current = "overview"
            elif line in OTHER_HEADINGS:
                current = None
            elif line.startswith(BULLET) and current and current != "overview":
                role.sections.setdefault(current, []).append(normalise(line[1:]))
            elif current == "overview":
                role.overview.append(normalise(line))
            elif match := re.fullmatch(r"\$([\d,]+)", line):
                role.national_average_salary = int(match[1].replace(",", ""))
        roles[role.slug] = role
    return roles


# Every tool, technology or technique the seed names, with the pattern that finds
# it in a role's text. A role carries a skill exactly when its text matches.
SKILL_PATTERNS = {
    # slug: (name, kind, pattern)
    "python": ("Python", "language", r"\bPython\b"),
    "tensorflow": ("TensorFlow", "framework", r"\bTensorFlow\b(?! Lite)"),
    "pytorch": ("PyTorch", "framework", r"\bPyTorch\b"),
    "scikit-learn": ("Scikit-learn", "framework", r"\bScikit-learn\b"),
    "hugging-face-transformers": (
        "Hugging Face Transformers",
        "framework",
        r"\bHugging Face Transformers\b",
    ),
    "spacy": ("spaCy", "framework", r"\bspaCy\b"),
    "nltk": ("NLTK", "framework", r"\bNLTK\b"),
    "opencv": ("OpenCV", "framework", r"\bOpenCV\b"),
    "detectron2": ("Detectron2", "framework", r"\bDetectron2\b"),
    "tensorflow-lite": ("TensorFlow Lite", "framework", r"\bTensorFlow Lite\b"),
    "onnx": ("ONNX", "framework", r"\bONNX\b"),
    "aws-sagemaker": ("AWS SageMaker", "cloud", r"\bAWS SageMaker\b"),
    "gcp-vertex-ai": ("GCP Vertex AI", "cloud", r"\bGCP Vertex AI\b"),
    "azure-ml": ("Azure ML", "cloud", r"\bAzure ML\b"),
    "mlflow": ("MLflow", "mlops", r"\bMLflow\b"),
    "kubeflow": ("Kubeflow", "mlops", r"\bKubeflow\b"),
    "airflow": ("Airflow", "mlops", r"\bAirflow\b"),
    "docker": ("Docker", "mlops", r"\bDocker\b"),
    "kubernetes": ("Kubernetes", "mlops", r"\bKubernetes\b"),
    "terraform": ("Terraform", "mlops", r"\bTerraform\b"),
    "prometheus": ("Prometheus", "mlops", r"\bPrometheus\b"),
    "grafana": ("Grafana", "mlops", r"\bGrafana\b"),
    "ci-cd": ("CI/CD", "mlops", r"\bCI/CD\b"),
    "nvidia-jetson": ("NVIDIA Jetson", "hardware", r"\bNVIDIA Jetson\b"),
    "gpus": ("GPUs", "hardware", r"\bGPUs?\b"),
    "arm": ("ARM", "hardware", r"\bARM\b"),
    "asics": ("ASICs", "hardware", r"\bASICs?\b"),
    "mlops": ("MLOps", "technique", r"\bMLOps\b"),
    "deep-learning": ("Deep learning", "technique", r"\b[Dd]eep [Ll]earning\b"),
    "supervised-learning": ("Supervised learning", "technique", r"\bsupervised\b"),
    "unsupervised-learning": ("Unsupervised learning", "technique", r"\bunsupervised\b"),
    "reinforcement-learning": (
        "Reinforcement learning",
        "technique",
        r"\breinforcement learning\b",
    ),
    "natural-language-processing": (
        "Natural language processing",
        "technique",
        r"\bNLP\b|\bNatural Language Processing\b",
    ),
    "computer-vision": ("Computer vision", "technique", r"\b[Cc]omputer [Vv]ision\b"),
    "feature-engineering": ("Feature engineering", "technique", r"\bfeature engineering\b"),
    "rest-apis": ("REST APIs", "technique", r"\bRESTful APIs\b"),
    "distributed-systems": ("Distributed systems", "technique", r"\bdistributed systems\b"),
    "model-monitoring": ("Model monitoring", "technique", r"\b[Mm]onitor(ing)?\b"),
    "transformers": ("Transformers", "technique", r"(?<!Face )\b[Tt]ransformers?\b"),
    "llms": ("LLMs", "technique", r"\bLLMs\b"),
    "bert": ("BERT", "technique", r"\bBERT\b"),
    "gpt": ("GPT", "technique", r"\bGPT\b"),
    "embeddings": ("Embeddings", "technique", r"\bembeddings\b"),
    "named-entity-recognition": (
        "Named entity recognition",
        "technique",
        r"\bnamed entity recognition\b",
    ),
    "sentiment-analysis": ("Sentiment analysis", "technique", r"\bsentiment analysis\b"),
    "cnns": ("CNNs", "technique", r"\bCNNs\b"),
    "rnns": ("RNNs", "technique", r"\bRNNs\b"),
    "gans": ("GANs", "technique", r"\bGANs\b"),
    "yolo": ("YOLO", "technique", r"\bYOLO\b"),
    "efficientnet": ("EfficientNet", "technique", r"\bEfficientNet\b"),
    "object-detection": ("Object detection", "technique", r"\bobject detection\b"),
    "image-segmentation": ("Image segmentation", "technique", r"\bimage segmentation\b"),
    "object-tracking": ("Object tracking", "technique", r"\bobject tracking\b"),
    "ocr": ("OCR", "technique", r"\bOCR\b"),
    "model-compression": ("Model compression", "technique", r"\b[Cc]ompress(ion)?\b"),
    "model-quantization": ("Model quantization", "technique", r"\bquantization\b"),
    "model-pruning": ("Model pruning", "technique", r"\bpruning\b"),
    "distributed-training": ("Distributed training", "technique", r"\bdistributed training\b"),
    "hyperparameter-optimization": (
        "Hyperparameter optimization",
        "technique",
        r"\bhyperparameter optimization\b",
    ),
    "generative-ai": ("Generative AI", "technique", r"\bgenerative AI\b"),
    "infrastructure-as-code": ("Infrastructure as code", "technique", r"\bIaC\b"),
    "edge-deployment": ("Edge deployment", "technique", r"\b[Ee]dge\b"),
    "embedded-ml": ("Embedded ML", "technique", r"\bembedded (ML|systems)\b"),
    "communication": ("Communication", "soft", r"\bcommunication\b"),
    "problem-solving": ("Problem solving", "soft", r"\bproblem-solving\b"),
    "collaboration": ("Collaboration", "soft", r"\b[Cc]ollaborat(e|ion)\b"),
    "adaptability": ("Adaptability", "soft", r"\bAdaptability\b"),
    "attention-to-detail": ("Attention to detail", "soft", r"\bAttention to detail\b"),
    "documentation": ("Documentation", "soft", r"\bdocumentation\b"),
}


def roles_naming(skill_slug: str, roles: dict[str, SeedRole]) -> set[str]:
    pattern = SKILL_PATTERNS[skill_slug][2]
    return {slug for slug, role in roles.items() if re.search(pattern, role.text)}
