//! The embedded digits file, its parser's rejections and the stratified split.

use arithsim::Error;
use arithsim::nn::data::Digits;

fn file() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/digits/digits.bin"
    ))
    .unwrap()
}

#[test]
fn embedded_equals_the_file_and_csv_facts() {
    let bytes = file();
    let d = Digits::from_bytes(&bytes).unwrap();
    assert_eq!(d, Digits::embedded().unwrap());
    assert_eq!(bytes.len(), 16 + 65 * 1797);
    assert_eq!(d.pixels().len(), 1797 * 64);
    assert!(d.pixels().iter().all(|&p| p <= 16));
    // Last CSV row of digits.csv.gz: ...,0,1,8,12,14,12,1,0 then label 8.
    let last = d.image(1796).unwrap();
    assert_eq!(&last[56..], &[0, 1, 8, 12, 14, 12, 1, 0]);
    assert_eq!(d.label(1796).unwrap(), 8);
    let x = d.input(0).unwrap();
    assert_eq!(x[2], 5.0 / 16.0);
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let good = file();
    for len in (0..200).chain([good.len() - 1, good.len() - 65]) {
        assert!(
            matches!(Digits::from_bytes(&good[..len]), Err(Error::Parse { .. })),
            "prefix of {len} bytes"
        );
    }
    let mut longer = good.clone();
    longer.push(0);
    assert!(Digits::from_bytes(&longer).is_err());

    let mut bad_magic = good.clone();
    bad_magic[0] = b'X';
    let e = Digits::from_bytes(&bad_magic).unwrap_err().to_string();
    assert!(e.contains("magic"), "{e}");

    let mut pixel = good.clone();
    pixel[16 + 64 * 5 + 3] = 17;
    let e = Digits::from_bytes(&pixel).unwrap_err().to_string();
    assert!(e.contains("image 5 pixel 3 is 17"), "{e}");

    let mut label = good.clone();
    label[16 + 64 * 1797 + 7] = 10;
    let e = Digits::from_bytes(&label).unwrap_err().to_string();
    assert!(e.contains("label of image 7 is 10"), "{e}");

    let mut dims = good.clone();
    dims[12] = 9;
    assert!(Digits::from_bytes(&dims).is_err());

    let mut zero = good[..16].to_vec();
    zero[8..12].copy_from_slice(&0u32.to_le_bytes());
    assert!(Digits::from_bytes(&zero).is_err());

    let mut huge = good[..16].to_vec();
    huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(Digits::from_bytes(&huge).is_err());
}

#[test]
fn split_is_a_stratified_partition() {
    let d = Digits::embedded().unwrap();
    for seed in [Digits::FIXED_SPLIT_SEED, 0, 1, u64::MAX] {
        let s = d.split(seed);
        assert_eq!(s.test.len(), 360);
        assert_eq!(s.train.len(), 1437);
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1797).collect::<Vec<_>>());
        for class in 0..10u8 {
            let total = d.labels().iter().filter(|&&l| l == class).count();
            let test = s.test.iter().filter(|&&i| d.labels()[i] == class).count();
            // Within one image of 20 % of the class.
            assert!(
                (test as f64 - 0.2 * total as f64).abs() < 1.0,
                "class {class}: {test} of {total}"
            );
        }
        assert_eq!(s, d.split(seed), "same seed, same split");
    }
    let (a, b) = (d.split(1), d.split(2));
    assert_ne!(a.test, b.test);
    // Shuffled: the test list is not in file order.
    let s = d.split(Digits::FIXED_SPLIT_SEED);
    assert!(s.test.windows(2).any(|w| w[0] > w[1]));
}
