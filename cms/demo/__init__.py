"""Demo content modelled on Muara Enim regency (South Sumatra): regions, agencies, KIM, news, directory.

Everything is generated locally and deterministically (fixed seeds, no downloads), so a fresh
installation shows realistic, Indonesian content without touching real people's data.
Entry point: cms.demo.loader.load_demo_content; the management command only wraps it.
"""
