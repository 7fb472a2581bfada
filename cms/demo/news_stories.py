"""Story templates for demo news: event kinds written the way a regency media centre writes them.

Placeholders filled per item: {desa} {kec} {opd} {opd_singkat} {kepala} {camat} {kades} {warga} {kim}
{n1} (tens) {n2} (hundreds) {n3} (thousands) {persen} {anggaran} and each story's own extras.
A title may use an extra as {name_judul} for its headline-cased form.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Story:
    key: str
    category: str  # NewsCategory slug
    scope: str  # "desa": about one village; "kec": about a district
    agencies: tuple[str, ...]  # agency keys that fit, the first being the usual one; empty = none
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]  # (text, speaker: kepala | camat | kades | warga | ketua_kim)
    tags: tuple[str, ...]
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)
    districts: tuple[int, ...] = ()  # restrict to these district numbers (coffee grows in Semende, not Gelumbang)
    kim_ok: bool = False  # a KIM group could plausibly have sent it


CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("pemerintahan", "Pemerintahan", "Kebijakan, pelayanan dan kegiatan pemerintah daerah, kecamatan dan desa."),
    ("kesehatan", "Kesehatan", "Puskesmas, posyandu, rumah sakit dan pencegahan penyakit."),
    ("pendidikan", "Pendidikan", "Sekolah, guru, beasiswa dan gerakan literasi."),
    ("pariwisata", "Pariwisata", "Destinasi, desa wisata dan agenda budaya."),
    ("ekonomi-umkm", "Ekonomi & UMKM", "Pertanian, UMKM, BUMDes, harga pangan dan investasi."),
    ("infrastruktur", "Infrastruktur", "Jalan, jembatan, irigasi dan fasilitas umum."),
    ("kebencanaan", "Kebencanaan", "Banjir, longsor, kebakaran dan kesiapsiagaan bencana."),
    ("sosial-budaya", "Sosial & Budaya", "Bantuan sosial, gotong royong, adat dan kegiatan warga."),
)

SEMENDE = (8, 9, 10)
HIGHLANDS = (1, 8, 9, 10, 28)
LOWLANDS = (6, 14, 15, 16, 17, 21, 22, 24, 25, 26)

STORIES: tuple[Story, ...] = (
    # — Pemerintahan —
    Story(
        "musrenbang",
        "pemerintahan",
        "kec",
        ("bappeda",),
        titles=(
            "Musrenbang Kecamatan {kec} Prioritaskan {prioritas_judul}",
            "Warga {kec} Usulkan {n1} Program dalam Musrenbang Tahun Ini",
        ),
        leads=(
            "Musyawarah perencanaan pembangunan (musrenbang) Kecamatan {kec} menetapkan {prioritas} sebagai "
            "prioritas usulan untuk tahun anggaran mendatang.",
            "Sebanyak {n1} usulan dari desa dan kelurahan dibahas dalam musrenbang Kecamatan {kec} yang "
            "difasilitasi {opd}.",
        ),
        details=(
            "Musrenbang digelar di aula kantor camat dan dihadiri kepala desa, tokoh masyarakat, perwakilan "
            "perempuan serta pemuda. Setiap desa membawa hasil musyawarah dusun yang sudah disepakati sebelumnya.",
            "Camat {kec}, {camat}, menjelaskan bahwa usulan {prioritas} paling banyak muncul dari desa-desa yang "
            "jauh dari pusat kecamatan, termasuk Desa {desa}.",
            "Usulan yang disepakati akan diteruskan ke forum perangkat daerah dan musrenbang kabupaten. {opd} "
            "meminta desa melengkapi data pendukung seperti foto lokasi dan perkiraan jumlah penerima manfaat.",
        ),
        quotes=(
            (
                "Kami ingin usulan yang masuk benar-benar berangkat dari kebutuhan warga, bukan sekadar daftar "
                "keinginan. Karena itu datanya harus jelas.",
                "kepala",
            ),
            ("Jalan dan air bersih masih menjadi keluhan utama warga kami. Semoga tahun ini bisa terwujud.", "camat"),
        ),
        tags=("musrenbang", "perencanaan pembangunan"),
        extras={
            "prioritas": (
                "perbaikan jalan desa",
                "penyediaan air bersih",
                "perbaikan irigasi sawah",
                "penerangan jalan umum",
                "penguatan UMKM desa",
            )
        },
    ),
    Story(
        "adminduk",
        "pemerintahan",
        "desa",
        ("disdukcapil",),
        titles=(
            "Disdukcapil Jemput Bola Perekaman KTP-el di {desa}",
            "{n1} Warga {desa} Urus Dokumen Kependudukan Tanpa ke Kota",
        ),
        leads=(
            "{opd} Kabupaten Muara Enim membuka layanan jemput bola di Balai Desa {desa}, Kecamatan {kec}, "
            "untuk perekaman KTP elektronik dan penerbitan kartu keluarga.",
            "Warga {desa} tidak perlu lagi menempuh perjalanan jauh ke Muara Enim untuk mengurus dokumen "
            "kependudukan setelah {opd_singkat} membuka layanan keliling di desa itu.",
        ),
        details=(
            "Petugas membawa perangkat perekaman biometrik dan mencetak dokumen di tempat. Layanan ini "
            "diutamakan bagi warga lanjut usia, penyandang disabilitas dan pemilih pemula.",
            "Hingga sore hari tercatat {n1} warga merekam KTP-el, sementara puluhan lainnya memperbarui kartu "
            "keluarga dan mengurus akta kelahiran anak.",
            "Kepala Desa {desa}, {kades}, mengatakan pemerintah desa sudah mengumumkan jadwal layanan lewat "
            "pengeras suara masjid dan grup WhatsApp warga sepekan sebelumnya.",
        ),
        quotes=(
            ("Semua layanan adminduk gratis. Jangan percaya kalau ada yang meminta bayaran.", "kepala"),
            (
                "Dulu saya harus izin kerja sehari penuh untuk ke kota. Sekarang cukup jalan kaki ke balai desa.",
                "warga",
            ),
        ),
        tags=("adminduk", "KTP-el", "pelayanan publik"),
        kim_ok=True,
    ),
    Story(
        "dana-desa",
        "pemerintahan",
        "desa",
        ("inspektorat", "dpmd"),
        titles=(
            "Inspektorat Periksa Penggunaan Dana Desa di {desa}",
            "Pemdes {desa} Pasang Baliho APBDes agar Warga Bisa Ikut Mengawasi",
        ),
        leads=(
            "Tim {opd} memeriksa laporan penggunaan dana desa di Desa {desa}, Kecamatan {kec}, sebagai bagian "
            "dari pengawasan rutin terhadap keuangan desa.",
            "Pemerintah Desa {desa} memasang baliho rincian APBDes di depan kantor desa sehingga warga dapat "
            "melihat sendiri penggunaan anggaran sebesar {anggaran}.",
        ),
        details=(
            "Pemeriksaan meliputi dokumen pertanggungjawaban, kesesuaian fisik pekerjaan dengan rencana "
            "anggaran, serta pencatatan aset desa.",
            "Keterbukaan anggaran desa merupakan kewajiban yang diatur dalam peraturan tentang pengelolaan "
            "keuangan desa. Warga berhak bertanya dan menyampaikan masukan melalui musyawarah desa.",
            "Sebagian anggaran tahun ini digunakan untuk rabat beton jalan lingkungan, posyandu, serta bantuan "
            "langsung tunai bagi keluarga kurang mampu.",
        ),
        quotes=(
            (
                "Temuan administrasi kami sampaikan sebagai pembinaan. Tujuannya agar desa tertib, bukan mencari "
                "kesalahan.",
                "kepala",
            ),
            ("Kami terbuka. Silakan warga datang ke kantor desa kalau ingin melihat dokumennya.", "kades"),
        ),
        tags=("dana desa", "transparansi", "APBDes"),
    ),
    Story(
        "kim-pelatihan",
        "pemerintahan",
        "kec",
        ("diskominfo",),
        titles=(
            "Diskominfo Latih Anggota KIM {kec} Menulis Berita dan Menangkal Hoaks",
            "KIM di {kec} Diajak Jadi Garda Depan Informasi Desa",
        ),
        leads=(
            "{opd} Kabupaten Muara Enim melatih {n1} anggota Kelompok Informasi Masyarakat (KIM) dari desa-desa "
            "di Kecamatan {kec} menulis berita dan memeriksa kebenaran informasi.",
            "Anggota KIM di Kecamatan {kec} mendapat pelatihan jurnalistik dasar, fotografi dengan ponsel dan cara "
            "mengenali hoaks dari {opd_singkat}.",
        ),
        details=(
            "Materi pelatihan meliputi unsur berita 5W+1H, cara memotret kegiatan desa yang layak tayang, dan "
            "langkah memeriksa kabar yang beredar di grup percakapan sebelum dibagikan.",
            "Berita kiriman KIM akan diverifikasi oleh media center sebelum dimuat di situs resmi pemerintah "
            "daerah dan disebarkan ke media sosial serta layar informasi.",
            "Peserta juga diminta rutin mengirim kabar dari desa, mulai dari kegiatan posyandu hingga hasil "
            "panen, agar informasi tidak hanya mengalir dari kabupaten ke desa tetapi juga sebaliknya.",
        ),
        quotes=(
            ("Informasi harus mengalir dua arah. Warga desa paling tahu apa yang terjadi di desanya.", "kepala"),
            (
                "Sekarang kami tahu cara memeriksa kabar yang beredar di grup WhatsApp sebelum ikut membagikan.",
                "ketua_kim",
            ),
        ),
        tags=("KIM", "literasi digital", "hoaks"),
    ),
    # — Kesehatan —
    Story(
        "posyandu",
        "kesehatan",
        "desa",
        ("dinkes",),
        titles=(
            "Posyandu di {desa} Layani {n1} Balita dalam Sehari",
            "Kader Posyandu {desa} Pantau Tumbuh Kembang Balita Tiap Bulan",
        ),
        leads=(
            "Posyandu di Desa {desa}, Kecamatan {kec}, melayani {n1} balita dalam kegiatan penimbangan, "
            "imunisasi dan pemberian makanan tambahan bulan ini.",
            "Kader posyandu di Desa {desa} bersama bidan desa mencatat berat dan tinggi badan balita untuk "
            "memantau risiko stunting sejak dini.",
        ),
        details=(
            "Selain penimbangan, petugas puskesmas memberikan imunisasi dasar lengkap dan vitamin A. Ibu hamil "
            "juga mendapat pemeriksaan tekanan darah dan tablet tambah darah.",
            "Menu makanan tambahan disiapkan kader dari bahan pangan lokal seperti ikan patin, telur dan sayur "
            "daun singkong, agar mudah ditiru di rumah.",
            "Balita yang berat badannya tidak naik dua bulan berturut-turut dirujuk ke puskesmas untuk "
            "pemeriksaan lanjutan dan konseling gizi.",
        ),
        quotes=(
            ("Kehadiran ibu-ibu ke posyandu terus meningkat. Kami ingin tidak ada balita yang terlewat.", "kades"),
            ("Posyandu adalah ujung tombak pencegahan stunting. Kader-kader ini pahlawan kesehatan desa.", "kepala"),
        ),
        tags=("posyandu", "stunting", "balita"),
        kim_ok=True,
    ),
    Story(
        "stunting",
        "kesehatan",
        "kec",
        ("dinkes", "dkp"),
        titles=(
            "Prevalensi Stunting di {kec} Turun, Pendampingan Keluarga Diperkuat",
            "{n1} Keluarga Berisiko Stunting di {kec} Dapat Pendampingan Khusus",
        ),
        leads=(
            "{opd} mencatat penurunan kasus stunting di Kecamatan {kec} setelah pendampingan keluarga berisiko "
            "dilakukan rutin sepanjang tahun.",
            "Sebanyak {n1} keluarga berisiko stunting di Kecamatan {kec} kini didampingi tim pendamping keluarga "
            "yang terdiri atas bidan, kader PKK dan kader KB.",
        ),
        details=(
            "Tim pendamping mengunjungi rumah keluarga sasaran setiap bulan untuk memantau asupan gizi, "
            "kebersihan lingkungan dan ketersediaan air bersih.",
            "Intervensi tidak hanya menyasar balita, tetapi juga remaja putri dan calon pengantin melalui "
            "pemeriksaan hemoglobin dan pemberian tablet tambah darah.",
            "Desa {desa} disebut sebagai salah satu desa dengan kemajuan paling baik berkat dukungan dana desa "
            "untuk pemberian makanan tambahan.",
        ),
        quotes=(
            ("Stunting tidak bisa ditangani satu dinas saja. Butuh kerja bersama sampai ke tingkat RT.", "kepala"),
            ("Kami libatkan tokoh agama supaya pesan gizi seimbang sampai ke pengajian ibu-ibu.", "camat"),
        ),
        tags=("stunting", "gizi", "keluarga"),
    ),
    Story(
        "dbd",
        "kesehatan",
        "desa",
        ("dinkes",),
        titles=(
            "Cegah DBD, Warga {desa} Gelar Gerakan 3M Plus",
            "Kasus Demam Berdarah Muncul, Puskesmas Lakukan Fogging di {desa}",
        ),
        leads=(
            "Warga Desa {desa}, Kecamatan {kec}, membersihkan tempat penampungan air dan lingkungan rumah "
            "dalam gerakan pemberantasan sarang nyamuk menyambut musim hujan.",
            "Puskesmas setempat melakukan pengasapan (fogging) di Desa {desa} setelah ditemukan kasus demam "
            "berdarah dengue pada warga.",
        ),
        details=(
            "Gerakan 3M Plus meliputi menguras dan menutup tempat penampungan air, mendaur ulang barang bekas, "
            "serta mencegah gigitan nyamuk dengan kelambu atau lotion.",
            "Petugas mengingatkan bahwa pengasapan hanya membunuh nyamuk dewasa. Jentik nyamuk hanya bisa "
            "diberantas dengan membersihkan tempat air secara rutin.",
            "Warga yang mengalami demam tinggi mendadak lebih dari dua hari diminta segera memeriksakan diri ke "
            "puskesmas atau fasilitas kesehatan terdekat.",
        ),
        quotes=(
            ("Fogging bukan solusi utama. Yang paling ampuh tetap kebersihan lingkungan oleh warga sendiri.", "kepala"),
            ("Setiap Jumat pagi kami gotong royong membersihkan selokan dan bak air.", "warga"),
        ),
        tags=("DBD", "3M Plus", "puskesmas"),
        kim_ok=True,
    ),
    Story(
        "cek-kesehatan",
        "kesehatan",
        "desa",
        ("dinkes", "rsud"),
        titles=(
            "Pemeriksaan Kesehatan Gratis di {desa} Diikuti {n1} Warga Lansia",
            "Tim Medis Sambangi {desa}, Warga Periksa Tekanan Darah dan Gula Darah",
        ),
        leads=(
            "Sebanyak {n1} warga lanjut usia di Desa {desa}, Kecamatan {kec}, mengikuti pemeriksaan kesehatan "
            "gratis yang digelar {opd}.",
            "{opd} bersama puskesmas menggelar pemeriksaan tekanan darah, gula darah dan kolesterol bagi warga "
            "Desa {desa}.",
        ),
        details=(
            "Pemeriksaan dilakukan di balai desa sejak pagi. Warga yang terdeteksi hipertensi atau diabetes "
            "langsung mendapat obat dan jadwal kontrol di puskesmas.",
            "Petugas juga memeriksa kepesertaan JKN warga dan membantu pendaftaran bagi yang belum terdaftar.",
            "Menurut petugas, banyak warga baru mengetahui tekanan darahnya tinggi setelah diperiksa. "
            "Pemeriksaan rutin dinilai penting untuk mencegah stroke.",
        ),
        quotes=(
            ("Penyakit tidak menular sering datang diam-diam. Periksa rutin minimal sebulan sekali.", "kepala"),
            ("Alhamdulillah, sekarang saya tahu harus mengurangi garam dan rutin minum obat.", "warga"),
        ),
        tags=("lansia", "hipertensi", "pemeriksaan gratis"),
        kim_ok=True,
    ),
    # — Pendidikan —
    Story(
        "seragam",
        "pendidikan",
        "kec",
        ("disdik",),
        titles=(
            "Disdik Salurkan Seragam Gratis untuk {n2} Siswa di {kec}",
            "{n2} Siswa Baru di {kec} Terima Perlengkapan Sekolah",
        ),
        leads=(
            "{opd} Kabupaten Muara Enim menyalurkan seragam dan perlengkapan sekolah kepada {n2} siswa baru "
            "SD dan SMP di Kecamatan {kec}.",
            "Siswa baru dari keluarga kurang mampu di Kecamatan {kec} menerima seragam, tas dan buku tulis "
            "dari pemerintah daerah.",
        ),
        details=(
            "Penerima bantuan didata oleh sekolah berdasarkan data kesejahteraan sosial dan usulan komite sekolah.",
            "Penyerahan dilakukan di SD Negeri {n1} {kec} dan disaksikan orang tua murid serta pengawas sekolah.",
            "Pemerintah daerah berharap bantuan ini mengurangi beban orang tua sehingga tidak ada anak usia "
            "sekolah yang putus sekolah karena alasan biaya.",
        ),
        quotes=(
            ("Tidak boleh ada anak Muara Enim yang tidak sekolah karena tidak punya seragam.", "kepala"),
            ("Anak saya senang sekali dapat tas baru. Terima kasih kepada pemerintah.", "warga"),
        ),
        tags=("bantuan pendidikan", "siswa", "seragam"),
    ),
    Story(
        "literasi",
        "pendidikan",
        "desa",
        ("disdik",),
        titles=(
            "Pojok Baca Desa {desa} Ramai Dikunjungi Anak-anak",
            "Gerakan Literasi: Pemuda {desa} Buka Lapak Baca Setiap Minggu",
        ),
        leads=(
            "Pojok baca di Balai Desa {desa}, Kecamatan {kec}, menjadi tempat favorit anak-anak menghabiskan "
            "sore setelah pulang sekolah.",
            "Pemuda Desa {desa} menggelar lapak baca gratis setiap Minggu pagi dengan koleksi {n2} buku hasil donasi.",
        ),
        details=(
            "Koleksi buku berasal dari sumbangan warga, perantau dan bantuan perpustakaan daerah. Buku cerita "
            "anak dan buku pertanian paling sering dipinjam.",
            "Relawan membacakan dongeng untuk anak usia dini dan mendampingi siswa SD mengerjakan tugas sekolah.",
            "Pemerintah desa berencana menganggarkan rak dan buku baru melalui dana desa tahun depan.",
        ),
        quotes=(
            ("Kami ingin anak-anak punya kebiasaan membaca, bukan hanya bermain gawai.", "ketua_kim"),
            ("Minat baca anak desa sebenarnya tinggi. Yang kurang selama ini akses terhadap buku.", "kepala"),
        ),
        tags=("literasi", "perpustakaan desa", "anak"),
        kim_ok=True,
    ),
    Story(
        "rehab-sekolah",
        "pendidikan",
        "desa",
        ("disdik", "pupr"),
        titles=(
            "Rehabilitasi Ruang Kelas SD Negeri {n1} {kec} Rampung",
            "Siswa SD di {desa} Kini Belajar di Ruang Kelas Baru",
        ),
        leads=(
            "Rehabilitasi tiga ruang kelas SD Negeri {n1} {kec} di Desa {desa} rampung dan sudah digunakan untuk "
            "kegiatan belajar mengajar.",
            "Setelah bertahun-tahun belajar di ruang kelas beratap bocor, siswa SD di Desa {desa} kini menempati "
            "ruang kelas yang baru direhabilitasi.",
        ),
        details=(
            "Pekerjaan meliputi penggantian rangka atap, plafon, lantai keramik dan instalasi listrik dengan "
            "anggaran {anggaran}.",
            "Sekolah juga mendapat tambahan meja dan kursi, serta perbaikan jamban yang ramah anak.",
            "Dinas mencatat masih ada sejumlah sekolah di wilayah perbukitan yang memerlukan perbaikan dan akan "
            "diusulkan bertahap.",
        ),
        quotes=(
            ("Ruang kelas yang layak adalah syarat dasar belajar yang nyaman dan aman.", "kepala"),
            ("Dulu kalau hujan, siswa terpaksa dipulangkan lebih awal. Sekarang tidak lagi.", "kades"),
        ),
        tags=("sekolah", "rehabilitasi", "sarana pendidikan"),
    ),
    Story(
        "guru",
        "pendidikan",
        "kec",
        ("disdik",),
        titles=(
            "{n1} Guru di {kec} Ikuti Pelatihan Pembelajaran Digital",
            "Guru SD dan SMP {kec} Belajar Membuat Materi Ajar Interaktif",
        ),
        leads=(
            "Sebanyak {n1} guru SD dan SMP di Kecamatan {kec} mengikuti pelatihan pembelajaran digital yang "
            "digelar {opd}.",
            "{opd} melatih guru di Kecamatan {kec} memanfaatkan ponsel dan laptop untuk membuat materi ajar "
            "yang menarik.",
        ),
        details=(
            "Peserta belajar membuat video pembelajaran singkat, kuis daring dan lembar kerja yang bisa dicetak "
            "bagi sekolah dengan sinyal internet terbatas.",
            "Pelatihan memakai pola guru penggerak: peserta wajib menularkan materi kepada rekan di sekolahnya "
            "masing-masing.",
            "Sekolah-sekolah di sekitar Desa {desa} yang masih kesulitan sinyal diberi materi luring yang dapat "
            "diputar tanpa koneksi internet.",
        ),
        quotes=(
            ("Teknologi hanya alat. Yang terpenting guru tetap dekat dengan muridnya.", "kepala"),
            ("Materi ini langsung bisa saya pakai di kelas minggu depan.", "warga"),
        ),
        tags=("guru", "pembelajaran digital", "pelatihan"),
    ),
    # — Pariwisata —
    Story(
        "destinasi",
        "pariwisata",
        "desa",
        ("disbudpar",),
        titles=(
            "{objek_judul} di {desa} Mulai Dilirik Wisatawan",
            "Akhir Pekan, Pengunjung Padati {objek_judul} di {desa}",
        ),
        leads=(
            "{objek} di Desa {desa}, Kecamatan {kec}, mulai ramai dikunjungi wisatawan dari dalam dan luar "
            "Kabupaten Muara Enim.",
            "Ratusan pengunjung memadati {objek} di Desa {desa} pada akhir pekan, sebagian besar datang dari "
            "Palembang, Prabumulih dan Lahat.",
        ),
        details=(
            "Kelompok sadar wisata (pokdarwis) setempat menata jalur setapak, menyediakan tempat parkir dan "
            "warung makan yang dikelola warga.",
            "Tiket masuk dijual terjangkau dan sebagian hasilnya digunakan untuk kebersihan serta perawatan fasilitas.",
            "Pengunjung diimbau menjaga kebersihan, tidak membuang sampah sembarangan, dan berhati-hati saat "
            "hujan karena jalan menuju lokasi licin.",
        ),
        quotes=(
            ("Potensi alam Muara Enim luar biasa. Tugas kami membantu desa mengemasnya dengan baik.", "kepala"),
            ("Sejak ramai pengunjung, dagangan warga ikut laris.", "kades"),
        ),
        tags=("wisata alam", "pokdarwis", "destinasi"),
        extras={"objek": ("air terjun", "bukit pandang", "danau", "pemandian alam", "kebun kopi")},
        districts=HIGHLANDS + (2, 7, 11, 17),
        kim_ok=True,
    ),
    Story(
        "desa-wisata",
        "pariwisata",
        "desa",
        ("disbudpar",),
        titles=("Desa {desa} Bersiap Menjadi Desa Wisata", "Pokdarwis {desa} Ikuti Pendampingan Pengelolaan Homestay"),
        leads=(
            "Desa {desa}, Kecamatan {kec}, mendapat pendampingan dari {opd} untuk mengembangkan desa wisata "
            "berbasis alam dan budaya.",
            "Kelompok sadar wisata Desa {desa} belajar mengelola homestay, paket wisata dan pemasaran digital.",
        ),
        details=(
            "Pendampingan mencakup penyusunan paket wisata satu hari, pelatihan pemandu lokal dan standar "
            "kebersihan rumah warga yang dijadikan homestay.",
            "Atraksi yang ditawarkan antara lain susur sungai, menanam padi bersama petani dan belajar membuat "
            "kue tradisional.",
            "Desa juga didorong mendaftarkan usahanya dalam Jejaring Desa Wisata agar lebih mudah ditemukan "
            "calon pengunjung.",
        ),
        quotes=(
            ("Desa wisata bukan soal membangun gedung, tetapi menyiapkan warganya sebagai tuan rumah.", "kepala"),
            ("Kami ingin anak muda tidak perlu merantau karena ada pekerjaan di desa sendiri.", "kades"),
        ),
        tags=("desa wisata", "homestay", "pokdarwis"),
    ),
    Story(
        "festival",
        "pariwisata",
        "kec",
        ("disbudpar",),
        titles=(
            "Festival Budaya {kec} Tampilkan Tari Tradisional dan Kuliner Khas",
            "Ribuan Warga Saksikan Pawai Budaya di {kec}",
        ),
        leads=(
            "Festival budaya di Kecamatan {kec} menampilkan tari tradisional, musik batanghari sembilan dan "
            "bazar kuliner khas Muara Enim.",
            "Ribuan warga memadati jalan utama Kecamatan {kec} untuk menyaksikan pawai budaya yang diikuti "
            "{n1} kelompok peserta.",
        ),
        details=(
            "Setiap desa menampilkan kesenian andalannya, mulai dari tari tanggai hingga pencak silat.",
            "Stan kuliner menjual pindang ikan, pempek, lempok durian dan kopi bubuk olahan warga.",
            "Panitia menyiapkan pos kesehatan dan petugas pengatur lalu lintas agar acara berlangsung aman.",
        ),
        quotes=(
            ("Festival ini kami gelar agar generasi muda mengenal dan mencintai budayanya sendiri.", "camat"),
            ("Kekayaan budaya setiap kecamatan adalah modal pariwisata daerah.", "kepala"),
        ),
        tags=("festival", "budaya", "kuliner"),
    ),
    Story(
        "kopi-semende",
        "pariwisata",
        "desa",
        ("disbudpar", "distan"),
        titles=(
            "Agrowisata Kopi di {desa} Tawarkan Pengalaman Memetik Kopi Sendiri",
            "Kopi Semende dari {desa} Tampil di Pameran Produk Unggulan",
        ),
        leads=(
            "Wisatawan yang datang ke Desa {desa}, Kecamatan {kec}, kini bisa memetik, menyangrai dan "
            "menyeduh kopi Semende langsung di kebun petani.",
            "Kopi robusta Semende hasil petani Desa {desa} dipamerkan dan menarik minat pembeli dari luar daerah.",
        ),
        details=(
            "Kebun kopi di lereng perbukitan Semende berada di ketinggian lebih dari seribu meter, sehingga "
            "menghasilkan cita rasa yang khas.",
            "Tradisi tunggu tubang, di mana anak perempuan tertua menjaga rumah dan kebun keluarga, turut "
            "dikenalkan kepada pengunjung.",
            "Petani berharap agrowisata menambah penghasilan di luar musim panen.",
        ),
        quotes=(
            ("Kopi Semende punya cerita. Itu yang membuat wisatawan mau datang jauh-jauh.", "kepala"),
            ("Pengunjung senang karena bisa membawa pulang kopi yang mereka petik sendiri.", "warga"),
        ),
        tags=("kopi Semende", "agrowisata", "Semende"),
        districts=SEMENDE,
        kim_ok=True,
    ),
    # — Ekonomi & UMKM —
    Story(
        "umkm-digital",
        "ekonomi-umkm",
        "kec",
        ("diskopukm",),
        titles=(
            "{n1} Pelaku UMKM {kec} Ikuti Pelatihan Pemasaran Digital",
            "UMKM {kec} Diajak Jualan Lewat Marketplace dan Media Sosial",
        ),
        leads=(
            "{opd} melatih {n1} pelaku usaha mikro di Kecamatan {kec} memasarkan produk melalui marketplace "
            "dan media sosial.",
            "Pelaku UMKM di Kecamatan {kec} belajar memotret produk, menulis deskripsi dan melayani pembeli "
            "secara daring.",
        ),
        details=(
            "Produk peserta beragam, mulai dari kerupuk ikan, keripik pisang, kopi bubuk hingga kerajinan anyaman.",
            "Peserta juga dibantu mengurus Nomor Induk Berusaha (NIB) dan sertifikat halal gratis agar produknya "
            "bisa masuk toko modern.",
            "Dinas akan memantau perkembangan penjualan peserta selama tiga bulan setelah pelatihan.",
        ),
        quotes=(
            ("Produk UMKM kita bagus, tinggal bagaimana dikenal lebih luas.", "kepala"),
            ("Setelah foto produk diperbaiki, pesanan dari luar kota mulai masuk.", "warga"),
        ),
        tags=("UMKM", "pemasaran digital", "NIB"),
    ),
    Story(
        "pangan-murah",
        "ekonomi-umkm",
        "desa",
        ("dkp",),
        titles=(
            "Gerakan Pangan Murah Sambangi {desa}, Beras Dijual di Bawah Harga Pasar",
            "Warga {desa} Antre Beli Sembako Murah",
        ),
        leads=(
            "{opd} menggelar gerakan pangan murah di Desa {desa}, Kecamatan {kec}, untuk menjaga daya beli "
            "warga menjelang hari besar keagamaan.",
            "Ratusan warga Desa {desa} mengantre membeli beras, minyak goreng, gula dan telur dengan harga di "
            "bawah harga pasar.",
        ),
        details=(
            "Komoditas disediakan bekerja sama dengan Bulog dan distributor lokal. Setiap warga dibatasi "
            "pembeliannya agar merata.",
            "Dalam beberapa jam, {n3} kilogram beras dan ratusan liter minyak goreng habis terjual.",
            "Pemerintah daerah juga memantau harga di pasar tradisional setiap pekan untuk mencegah lonjakan harga.",
        ),
        quotes=(
            (
                "Kami ingin harga kebutuhan pokok tetap terjangkau, terutama bagi keluarga berpenghasilan rendah.",
                "kepala",
            ),
            ("Lumayan, selisihnya bisa untuk tambahan belanja sayur.", "warga"),
        ),
        tags=("pangan murah", "harga pangan", "sembako"),
    ),
    Story(
        "panen",
        "ekonomi-umkm",
        "desa",
        ("distan",),
        titles=(
            "Petani {desa} Panen Raya {komoditas_judul}",
            "Panen {komoditas_judul} di {desa} Melimpah, Petani Harap Harga Stabil",
        ),
        leads=(
            "Kelompok tani di Desa {desa}, Kecamatan {kec}, memanen {komoditas} di lahan seluas {n1} hektare.",
            "Petani Desa {desa} menyambut panen {komoditas} dengan hasil yang lebih baik dibanding musim lalu.",
        ),
        details=(
            "Penyuluh pertanian mendampingi petani sejak masa tanam, termasuk penggunaan benih unggul dan "
            "pemupukan berimbang.",
            "Produktivitas tahun ini naik sekitar {persen} persen dari target berkat pasokan air yang cukup.",
            "Petani berharap pemerintah membantu akses pasar dan alat pascapanen agar nilai jual hasil panen "
            "meningkat.",
        ),
        quotes=(
            ("Kami dampingi petani dari hulu ke hilir, dari benih sampai pemasaran.", "kepala"),
            ("Hasil panen kali ini lebih baik. Semoga harganya tidak jatuh.", "warga"),
        ),
        tags=("pertanian", "panen", "kelompok tani"),
        extras={"komoditas": ("padi", "jagung", "kopi robusta", "cabai merah", "nanas")},
        kim_ok=True,
    ),
    Story(
        "bumdes",
        "ekonomi-umkm",
        "desa",
        ("dpmd",),
        titles=("BUMDes {desa} Kembangkan Usaha {usaha_judul}", "Untung dari {usaha_judul}, BUMDes {desa} Setor PADes"),
        leads=(
            "Badan Usaha Milik Desa (BUMDes) di Desa {desa}, Kecamatan {kec}, mengembangkan usaha {usaha} "
            "yang melibatkan warga setempat.",
            "BUMDes Desa {desa} mulai menyumbang pendapatan asli desa dari usaha {usaha}.",
        ),
        details=(
            "Modal awal berasal dari penyertaan dana desa sebesar {anggaran} yang disepakati dalam musyawarah desa.",
            "Usaha ini mempekerjakan {n1} warga, sebagian besar pemuda yang sebelumnya belum memiliki pekerjaan tetap.",
            "{opd} mendampingi pengurus BUMDes dalam pembukuan dan penyusunan laporan keuangan.",
        ),
        quotes=(
            ("BUMDes harus dikelola profesional dan laporannya terbuka kepada warga.", "kepala"),
            ("Keuntungan BUMDes kami kembalikan untuk kegiatan sosial di desa.", "kades"),
        ),
        tags=("BUMDes", "ekonomi desa", "dana desa"),
        extras={
            "usaha": (
                "air minum isi ulang",
                "penggilingan padi",
                "pengelolaan sampah",
                "kios pupuk",
                "penyewaan tenda dan kursi",
            )
        },
        kim_ok=True,
    ),
    # — Infrastruktur —
    Story(
        "jalan",
        "infrastruktur",
        "desa",
        ("pupr",),
        titles=("Jalan Poros Desa {desa} Mulai Diaspal", "Perbaikan Jalan di {desa} Ditargetkan Rampung Bulan Depan"),
        leads=(
            "Dinas PUPR Kabupaten Muara Enim mulai mengaspal jalan poros Desa {desa}, Kecamatan {kec}, "
            "sepanjang {n1} kilometer.",
            "Warga Desa {desa} menyambut baik perbaikan jalan yang selama ini rusak dan berlubang, terutama saat "
            "musim hujan.",
        ),
        details=(
            "Pekerjaan dibiayai APBD dengan nilai kontrak {anggaran} dan diawasi konsultan pengawas.",
            "Jalan ini merupakan akses utama warga mengangkut hasil kebun karet dan sawit ke pasar kecamatan.",
            "Pengguna jalan diminta berhati-hati karena sebagian lajur ditutup selama pengerjaan.",
        ),
        quotes=(
            ("Kami minta kontraktor bekerja sesuai spesifikasi. Warga juga boleh ikut mengawasi.", "kepala"),
            ("Dulu ke pasar bisa satu jam, mudah-mudahan nanti cukup setengahnya.", "warga"),
        ),
        tags=("jalan", "infrastruktur desa", "PUPR"),
        kim_ok=True,
    ),
    Story(
        "jembatan",
        "infrastruktur",
        "desa",
        ("pupr",),
        titles=(
            "Jembatan Gantung di {desa} Kembali Bisa Dilalui",
            "Warga {desa} Tak Lagi Menyeberang Sungai dengan Rakit",
        ),
        leads=(
            "Jembatan gantung yang menghubungkan Desa {desa} dengan kebun warga di seberang sungai kembali bisa "
            "dilalui setelah diperbaiki.",
            "Perbaikan jembatan di Desa {desa}, Kecamatan {kec}, memudahkan anak sekolah dan petani menyeberang.",
        ),
        details=(
            "Kabel baja dan papan lantai jembatan diganti seluruhnya. Jembatan hanya boleh dilalui pejalan kaki "
            "dan sepeda motor.",
            "Sebelumnya warga terpaksa menyeberang dengan rakit, yang berbahaya ketika air sungai naik.",
            "Pemerintah desa memasang papan batas beban dan mengajak warga merawat jembatan bersama.",
        ),
        quotes=(
            ("Anak-anak sekarang bisa ke sekolah tanpa waswas.", "kades"),
            ("Jembatan ini urat nadi ekonomi warga. Kami prioritaskan perbaikannya.", "kepala"),
        ),
        tags=("jembatan", "akses desa", "sungai"),
        kim_ok=True,
    ),
    Story(
        "irigasi",
        "infrastruktur",
        "kec",
        ("pupr", "distan"),
        titles=(
            "Normalisasi Irigasi di {kec} Dorong Musim Tanam Kedua",
            "Saluran Irigasi {kec} Diperbaiki, {n2} Hektare Sawah Kembali Teraliri",
        ),
        leads=(
            "Perbaikan dan normalisasi saluran irigasi di Kecamatan {kec} membuat {n2} hektare sawah kembali "
            "mendapat pasokan air.",
            "Petani di Kecamatan {kec} bersiap menanam padi dua kali setahun setelah saluran irigasi selesai "
            "dinormalisasi.",
        ),
        details=(
            "Sedimen dan gulma yang menyumbat saluran dibersihkan dengan alat berat, sementara tanggul yang "
            "jebol diperkuat.",
            "Perkumpulan petani pemakai air dilibatkan dalam pembagian jadwal air agar semua petak mendapat giliran.",
            "Desa {desa} menjadi salah satu penerima manfaat terbesar karena berada di ujung saluran.",
        ),
        quotes=(
            ("Air adalah kunci. Kalau irigasi lancar, produksi padi pasti naik.", "kepala"),
            ("Dulu sawah di ujung saluran sering kering. Sekarang air sudah sampai.", "warga"),
        ),
        tags=("irigasi", "sawah", "ketahanan pangan"),
        districts=LOWLANDS + (1, 4, 28),
    ),
    Story(
        "pju",
        "infrastruktur",
        "kec",
        ("dishub",),
        titles=(
            "Dishub Pasang {n1} Lampu Penerangan Jalan di {kec}",
            "Jalan Menuju {desa} Kini Terang pada Malam Hari",
        ),
        leads=(
            "{opd} memasang {n1} titik lampu penerangan jalan umum tenaga surya di ruas-ruas jalan rawan "
            "kecelakaan di Kecamatan {kec}.",
            "Ruas jalan menuju Desa {desa}, Kecamatan {kec}, yang selama ini gelap kini diterangi lampu jalan "
            "tenaga surya.",
        ),
        details=(
            "Lampu tenaga surya dipilih karena tidak bergantung pada jaringan listrik dan biaya perawatannya rendah.",
            "Lokasi pemasangan ditentukan berdasarkan laporan warga dan data kecelakaan lalu lintas.",
            "Warga diminta ikut menjaga lampu dari pencurian dan melaporkan kerusakan kepada pemerintah desa.",
        ),
        quotes=(
            ("Jalan yang terang membuat warga lebih aman, terutama pekerja yang pulang malam.", "kepala"),
            ("Anak-anak yang mengaji malam sekarang tidak takut lewat jalan ini.", "warga"),
        ),
        tags=("penerangan jalan", "keselamatan", "tenaga surya"),
    ),
    # — Kebencanaan —
    Story(
        "banjir",
        "kebencanaan",
        "desa",
        ("bpbd", "dinsos"),
        titles=(
            "Banjir Rendam {n1} Rumah di {desa}, BPBD Dirikan Posko",
            "Sungai Meluap, Warga {desa} Mengungsi ke Balai Desa",
        ),
        leads=(
            "Hujan deras sejak malam membuat sungai meluap dan merendam {n1} rumah warga di Desa {desa}, "
            "Kecamatan {kec}.",
            "Puluhan warga Desa {desa} mengungsi ke balai desa setelah banjir merendam permukiman mereka.",
        ),
        details=(
            "Tim reaksi cepat BPBD mengevakuasi warga lanjut usia dan anak-anak menggunakan perahu karet.",
            "Dapur umum didirikan untuk menyediakan makanan bagi pengungsi, sementara petugas kesehatan memeriksa "
            "warga yang mulai terserang gatal dan diare.",
            "BPBD meminta warga di bantaran sungai tetap waspada karena curah hujan diperkirakan masih tinggi "
            "dalam beberapa hari ke depan.",
        ),
        quotes=(
            ("Keselamatan warga nomor satu. Jangan memaksa bertahan di rumah kalau air terus naik.", "kepala"),
            ("Air naik cepat sekali tadi subuh. Kami hanya sempat menyelamatkan surat-surat.", "warga"),
        ),
        tags=("banjir", "BPBD", "tanggap darurat"),
        districts=LOWLANDS + (2, 4, 7, 19, 27),
        kim_ok=True,
    ),
    Story(
        "longsor",
        "kebencanaan",
        "desa",
        ("bpbd", "pupr"),
        titles=(
            "Longsor Tutup Akses Jalan di {desa}, Alat Berat Dikerahkan",
            "Tebing Longsor di {desa}, Pengendara Diminta Waspada",
        ),
        leads=(
            "Tanah longsor menutup badan jalan di Desa {desa}, Kecamatan {kec}, setelah hujan deras mengguyur "
            "wilayah perbukitan itu.",
            "Material longsor sepanjang puluhan meter sempat memutus akses kendaraan di Desa {desa}.",
        ),
        details=(
            "Alat berat dikerahkan untuk membersihkan material tanah dan batang pohon yang menutup jalan.",
            "Tidak ada korban jiwa dalam kejadian ini, namun sejumlah kebun kopi warga ikut tertimbun.",
            "Pengendara diminta menghindari melintas pada malam hari selama musim hujan dan memperhatikan "
            "rambu peringatan.",
        ),
        quotes=(
            ("Wilayah perbukitan rawan longsor. Warga di dekat tebing kami minta waspada saat hujan lebat.", "kepala"),
            ("Kami gotong royong membuka jalan sambil menunggu alat berat datang.", "kades"),
        ),
        tags=("longsor", "jalan", "musim hujan"),
        districts=HIGHLANDS,
        kim_ok=True,
    ),
    Story(
        "karhutla",
        "kebencanaan",
        "kec",
        ("bpbd", "damkar"),
        titles=(
            "Tim Gabungan Padamkan Kebakaran Lahan di {kec}",
            "Kemarau, Patroli Cegah Karhutla Diintensifkan di {kec}",
        ),
        leads=(
            "Tim gabungan BPBD, Manggala Agni, TNI, Polri dan masyarakat peduli api memadamkan kebakaran lahan "
            "seluas {n1} hektare di Kecamatan {kec}.",
            "Memasuki puncak kemarau, patroli pencegahan kebakaran hutan dan lahan di Kecamatan {kec} digelar "
            "setiap hari.",
        ),
        details=(
            "Pemadaman terkendala sumber air yang jauh dan lahan gambut yang menyimpan bara di bawah permukaan.",
            "Petugas mengingatkan bahwa membuka lahan dengan cara membakar dilarang dan dapat dikenai sanksi pidana.",
            "Masyarakat peduli api di Desa {desa} dilengkapi pompa jinjing dan selang untuk pemadaman awal.",
        ),
        quotes=(
            ("Lebih baik mencegah daripada memadamkan. Jangan ada yang membakar lahan.", "kepala"),
            ("Asapnya sampai ke rumah, anak-anak mulai batuk.", "warga"),
        ),
        tags=("karhutla", "kemarau", "kabut asap"),
        districts=LOWLANDS,
    ),
    Story(
        "kebakaran-rumah",
        "kebencanaan",
        "desa",
        ("damkar",),
        titles=(
            "Damkar Padamkan Kebakaran Rumah Warga di {desa}, Tak Ada Korban Jiwa",
            "Diduga Korsleting Listrik, Rumah Warga {desa} Terbakar",
        ),
        leads=(
            "Sebuah rumah warga di Desa {desa}, Kecamatan {kec}, terbakar. Petugas pemadam kebakaran berhasil "
            "memadamkan api dalam waktu sekitar satu jam.",
            "Api diduga berasal dari korsleting listrik dan menghanguskan sebagian besar rumah panggung milik "
            "warga Desa {desa}.",
        ),
        details=(
            "Sebanyak {n1} personel dan tiga unit mobil pemadam dikerahkan ke lokasi. Warga membantu dengan "
            "membentuk rantai ember dari sumur terdekat.",
            "Tidak ada korban jiwa, namun kerugian ditaksir mencapai ratusan juta rupiah.",
            "Petugas mengimbau warga memeriksa instalasi listrik secara berkala dan tidak menumpuk colokan pada "
            "satu stopkontak.",
        ),
        quotes=(
            ("Segera hubungi 113 atau posko damkar terdekat begitu melihat api.", "kepala"),
            ("Kami akan salurkan bantuan darurat untuk keluarga korban.", "kades"),
        ),
        tags=("kebakaran", "damkar", "keselamatan"),
        kim_ok=True,
    ),
    # — Sosial & Budaya —
    Story(
        "bansos",
        "sosial-budaya",
        "desa",
        ("dinsos",),
        titles=(
            "Dinsos Salurkan Bantuan Sembako bagi {n1} Keluarga di {desa}",
            "{n1} Lansia dan Penyandang Disabilitas di {desa} Terima Bantuan",
        ),
        leads=(
            "{opd} menyalurkan bantuan sembako kepada {n1} keluarga penerima manfaat di Desa {desa}, Kecamatan {kec}.",
            "Warga lanjut usia dan penyandang disabilitas di Desa {desa} menerima paket bantuan berisi beras, "
            "minyak goreng dan kebutuhan pokok lainnya.",
        ),
        details=(
            "Data penerima mengacu pada Data Terpadu Kesejahteraan Sosial yang diperbarui melalui musyawarah desa.",
            "Bagi penerima yang tidak bisa hadir karena sakit, petugas mengantarkan bantuan langsung ke rumah.",
            "Warga yang merasa layak namun belum terdata dapat mengusulkan diri melalui pemerintah desa.",
        ),
        quotes=(
            ("Bantuan harus tepat sasaran. Kalau ada penerima yang sudah mampu, silakan laporkan.", "kepala"),
            ("Terima kasih, bantuan ini sangat membantu kami.", "warga"),
        ),
        tags=("bansos", "DTKS", "kesejahteraan sosial"),
    ),
    Story(
        "gotong-royong",
        "sosial-budaya",
        "desa",
        (),
        titles=(
            "Warga {desa} Gotong Royong Bersihkan Saluran Air",
            "Jumat Bersih, Warga {desa} Perbaiki Jalan Setapak Bersama",
        ),
        leads=(
            "Warga Desa {desa}, Kecamatan {kec}, bergotong royong membersihkan saluran air dan lingkungan "
            "permukiman menjelang musim hujan.",
            "Puluhan warga Desa {desa} memperbaiki jalan setapak menuju kebun dan pemakaman secara swadaya.",
        ),
        details=(
            "Kegiatan di Desa {desa} dimulai selepas subuh dan diikuti bapak-bapak, ibu-ibu PKK serta pemuda "
            "karang taruna.",
            "Bahan seperti semen dan pasir merupakan sumbangan warga dan perantau asal {desa}.",
            "Ibu-ibu menyiapkan makanan bersama, sehingga kegiatan ini sekaligus menjadi ajang silaturahmi.",
        ),
        quotes=(
            ("Gotong royong ini warisan orang tua kita. Jangan sampai hilang.", "kades"),
            ("Kalau dikerjakan bersama, pekerjaan berat jadi ringan.", "ketua_kim"),
        ),
        tags=("gotong royong", "kebersihan", "swadaya"),
        kim_ok=True,
    ),
    Story(
        "sedekah-dusun",
        "sosial-budaya",
        "desa",
        ("disbudpar",),
        titles=("Sedekah Dusun di {desa} Jaga Tradisi Leluhur", "Tradisi Sedekah Bumi Kembali Digelar Warga {desa}"),
        leads=(
            "Warga Desa {desa}, Kecamatan {kec}, menggelar sedekah dusun sebagai ungkapan syukur atas hasil "
            "panen dan keselamatan kampung.",
            "Tradisi sedekah bumi kembali digelar di Desa {desa} dengan doa bersama dan makan bersama di balai desa.",
        ),
        details=(
            "Setiap keluarga di {desa} membawa hidangan dari rumah, mulai dari nasi, pindang hingga kue-kue "
            "tradisional.",
            "Acara diisi doa bersama yang dipimpin tokoh agama, dilanjutkan penampilan seni tradisional.",
            "Tokoh adat berharap generasi muda memahami makna tradisi ini, bukan sekadar ikut makan bersama.",
        ),
        quotes=(
            ("Tradisi ini mempererat persaudaraan. Yang jauh pulang, yang berselisih berdamai.", "kades"),
            ("Kami catat dan dokumentasikan tradisi seperti ini sebagai kekayaan budaya daerah.", "kepala"),
        ),
        tags=("tradisi", "sedekah dusun", "budaya"),
        kim_ok=True,
    ),
    Story(
        "lomba-hari-jadi",
        "sosial-budaya",
        "desa",
        (),
        titles=(
            "Lomba Tradisional Meriahkan Hari Jadi Desa {desa}",
            "Panjat Pinang hingga Tarik Tambang Ramaikan {desa}",
        ),
        leads=(
            "Warga Desa {desa}, Kecamatan {kec}, memeriahkan hari jadi desanya dengan aneka lomba tradisional.",
            "Panjat pinang, balap karung dan tarik tambang menjadi tontonan favorit warga Desa {desa}.",
        ),
        details=(
            "Lomba diikuti {n1} peserta, dari anak-anak hingga orang tua. Hadiah berupa perlengkapan sekolah "
            "dan peralatan rumah tangga dari sumbangan warga.",
            "Karang taruna menjadi panitia, dibantu perangkat desa dan ibu-ibu PKK.",
            "Malam harinya digelar tasyakuran dan pentas seni di halaman Balai Desa {desa}.",
        ),
        quotes=(
            ("Hari jadi desa kami rayakan sederhana, yang penting warga berkumpul dan guyub.", "kades"),
            ("Anak-anak paling senang ikut lomba makan kerupuk.", "warga"),
        ),
        tags=("hari jadi desa", "lomba", "karang taruna"),
        kim_ok=True,
    ),
)

# Paragraphs that place a story in the regency's wider picture, per category.
CATEGORY_CONTEXT: dict[str, tuple[str, ...]] = {
    "pemerintahan": (
        "Pemerintah Kabupaten Muara Enim terus mendorong pelayanan yang dekat dengan warga di 22 kecamatan, "
        "terutama bagi desa-desa yang jauh dari ibu kota kabupaten.",
        "Keterbukaan informasi dan partisipasi warga menjadi bagian penting tata kelola pemerintahan yang baik, "
        "sejalan dengan semangat Serasan Sekundang.",
    ),
    "kesehatan": (
        "Kabupaten Muara Enim memiliki puskesmas di setiap kecamatan yang didukung puskesmas pembantu dan bidan desa.",
        "Pemerintah daerah menargetkan seluruh warga terdaftar sebagai peserta Jaminan Kesehatan Nasional agar "
        "tidak ada yang terhalang berobat karena biaya.",
    ),
    "pendidikan": (
        "Peningkatan mutu pendidikan menjadi salah satu prioritas pembangunan daerah, termasuk pemerataan guru "
        "dan sarana sekolah hingga ke wilayah perbukitan.",
        "Orang tua diajak aktif mendampingi anak belajar di rumah dan menjalin komunikasi dengan sekolah.",
    ),
    "pariwisata": (
        "Muara Enim memiliki beragam potensi wisata, dari air terjun di Tanjung Agung, dataran tinggi Semende, "
        "hingga wisata sejarah tambang di Tanjung Enim.",
        "Pengembangan pariwisata diarahkan agar memberi manfaat langsung bagi warga desa di sekitar destinasi.",
    ),
    "ekonomi-umkm": (
        "Sektor pertanian, perkebunan dan usaha mikro masih menjadi tumpuan ekonomi sebagian besar warga Muara Enim.",
        "Pemerintah daerah mendorong produk lokal naik kelas melalui pendampingan, perizinan mudah dan akses pasar "
        "yang lebih luas.",
    ),
    "infrastruktur": (
        "Pembangunan infrastruktur dasar diprioritaskan untuk membuka akses desa terpencil dan memperlancar "
        "distribusi hasil pertanian.",
        "Warga dapat melaporkan kerusakan jalan, jembatan atau saluran air melalui kanal pengaduan resmi "
        "pemerintah daerah.",
    ),
    "kebencanaan": (
        "Wilayah Muara Enim rawan banjir di dataran rendah, longsor di perbukitan, serta kebakaran lahan pada "
        "musim kemarau.",
        "Dalam keadaan darurat, warga dapat menghubungi layanan darurat 112 yang tersambung dengan BPBD, pemadam "
        "kebakaran, kepolisian dan layanan kesehatan.",
    ),
    "sosial-budaya": (
        "Nilai kebersamaan dan adat istiadat masih kuat dijaga masyarakat desa di Kabupaten Muara Enim.",
        "Pemerintah daerah mengajak warga terus merawat kerukunan dan kepedulian sosial antartetangga.",
    ),
}

CLOSINGS: dict[str, tuple[str, ...]] = {
    # Fits any story.
    "umum": (
        "Informasi lebih lanjut dapat diperoleh melalui kantor camat setempat atau kanal resmi pemerintah daerah.",
        "Warga diimbau hanya mempercayai informasi dari sumber resmi dan tidak menyebarkan kabar yang belum jelas "
        "kebenarannya.",
        "Masyarakat yang memiliki kabar dari desanya dapat mengirimkannya melalui Kelompok Informasi Masyarakat "
        "(KIM) setempat untuk diverifikasi dan disebarluaskan.",
        "Perkembangan selanjutnya akan disampaikan melalui situs resmi dan media sosial pemerintah daerah.",
    ),
    # After a planned activity, not after a disaster.
    "kegiatan": (
        "Kegiatan serupa direncanakan berlanjut ke kecamatan lain secara bergiliran.",
        "Pemerintah daerah akan mengevaluasi kegiatan ini dan menyampaikan hasilnya kepada masyarakat.",
    ),
    "kebencanaan": (
        "Warga yang melihat tanda bahaya atau membutuhkan pertolongan dapat segera menghubungi layanan darurat 112.",
        "BPBD mengingatkan warga menyimpan dokumen penting di tempat yang mudah dibawa saat harus mengungsi.",
    ),
}
