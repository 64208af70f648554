import NIOCore
/// The JSON the embedded gallery answers with: Imgur's field names and envelope.
enum ImgurJSON {
    struct Envelope<T: Encodable>: Encodable {
        var data: T
        var success = true
        var status = 200
    }

    struct ErrorData: Encodable {
        var error: String
        var request: String
        var method: String
    }

    /// A gallery image, as Imgur lists it (nulls where Imgur has nulls).
    struct Image: Encodable {
        let image: CorpusImage
        let base: String
        let inGallery: Bool
        /// Who posted it and where (nil: listed with nulls, as an image outside the gallery).
        var meta: Catalogue.Meta? = nil

        enum Keys: String, CodingKey {
            case id, title, description, datetime, type, animated, width, height, size, views, bandwidth
            case vote, favorite, nsfw, section, account_url, account_id, is_ad, in_most_viral, has_sound
            case tags, ad_type, ad_url, edited, in_gallery, link, comment_count, favorite_count
            case ups, downs, points, score, is_album, mp4, gifv, hls, mp4_size, looping
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            // The large GIF is viewed a lot: its counters pass 2^31, as real ones do.
            let views = image.preview != nil ? 3_000_000_000 : 1_000 + (image.datetime % 50_000)
            try c.encode(image.id, forKey: .id)
            try c.encode(image.title, forKey: .title)
            try c.encodeNil(forKey: .description)
            try c.encode(image.datetime, forKey: .datetime)
            if !image.typeless {
                try c.encode(image.kind.mimeType, forKey: .type)
                try c.encode(false, forKey: .is_album)
            }
            try c.encode(image.animated, forKey: .animated)
            try c.encode(image.width, forKey: .width)
            try c.encode(image.height, forKey: .height)
            try c.encode(image.bytes.readableBytes, forKey: .size)
            try c.encode(views, forKey: .views)
            try c.encode(Int64(views) * Int64(image.bytes.readableBytes), forKey: .bandwidth)
            try c.encodeNil(forKey: .vote)
            try c.encode(false, forKey: .favorite)
            try c.encode(meta?.nsfw ?? false, forKey: .nsfw)
            try c.encode(meta?.subreddit ?? "", forKey: .section)
            try c.encode(meta?.account, forKey: .account_url)
            try c.encode(meta.map { 1_000 + Catalogue.users.firstIndex(of: $0.account)! }, forKey: .account_id)
            try c.encode(false, forKey: .is_ad)
            try c.encode(true, forKey: .in_most_viral)
            try c.encode(false, forKey: .has_sound)
            try c.encode((meta?.tags ?? []).map(Tag.init), forKey: .tags)
            try c.encode(0, forKey: .ad_type)
            try c.encode("", forKey: .ad_url)
            try c.encode("0", forKey: .edited)
            try c.encode(inGallery, forKey: .in_gallery)
            // Past 20 MB, Imgur's link to a GIF is only its preview.
            try c.encode("\(base)/\(image.preview != nil ? image.previewFileName : image.fileName)", forKey: .link)
            try c.encodeNil(forKey: .comment_count)
            try c.encode(views / 100, forKey: .favorite_count)
            try c.encodeNil(forKey: .ups)
            try c.encodeNil(forKey: .downs)
            try c.encodeNil(forKey: .points)
            try c.encode(views / 3, forKey: .score)
            if image.animated, image.video != nil || image.videoPending {
                // Imgur's video twin of a GIF (size 0: not made yet); the gifv is an HTML page,
                // never media.
                try c.encode("\(base)/\(image.videoFileName)", forKey: .mp4)
                try c.encode("\(base)/\(image.id).gifv", forKey: .gifv)
                try c.encode(image.video?.readableBytes ?? 0, forKey: .mp4_size)
                try c.encode(true, forKey: .looping)
            }
        }
    }

    /// An album, with or without its `images` array. Albums carry no `type`.
    struct Album: Encodable {
        let id: String
        let title: String
        let images: [CorpusImage]
        let embedImages: Bool
        let base: String
        var meta: Catalogue.Meta? = nil

        enum Keys: String, CodingKey {
            case id, title, description, datetime, cover, cover_width, cover_height, account_url
            case account_id, privacy, layout, views, link, favorite, nsfw, section, images_count
            case in_gallery, is_ad, is_album, images, tags
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let cover = images.first
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encodeNil(forKey: .description)
            try c.encode(cover?.datetime ?? 0, forKey: .datetime)
            try c.encode(cover?.id, forKey: .cover)
            try c.encode(cover?.width, forKey: .cover_width)
            try c.encode(cover?.height, forKey: .cover_height)
            try c.encode(meta?.account, forKey: .account_url)
            try c.encode(meta.map { 1_000 + Catalogue.users.firstIndex(of: $0.account)! }, forKey: .account_id)
            try c.encode("public", forKey: .privacy)
            try c.encode("blog", forKey: .layout)
            try c.encode(4_321, forKey: .views)
            try c.encode("https://imgur.com/a/\(id)", forKey: .link)
            try c.encode(false, forKey: .favorite)
            try c.encode(meta?.nsfw ?? false, forKey: .nsfw)
            try c.encodeNil(forKey: .section)
            try c.encode((meta?.tags ?? []).map(Tag.init), forKey: .tags)
            try c.encode(images.count, forKey: .images_count)
            try c.encode(true, forKey: .in_gallery)
            try c.encode(false, forKey: .is_ad)
            try c.encode(true, forKey: .is_album)
            if embedImages {
                try c.encode(images.map { Image(image: $0, base: base, inGallery: false, meta: meta) }, forKey: .images)
            }
        }
    }

    /// A tag as posts carry it (Imgur's objects, no id).
    struct Tag: Encodable {
        let name: String
        let display_name: String
        let followers: Int
        let total_items: Int
        let following = false
        let background_hash = "0O5jkXi"

        init(_ name: String) {
            self.name = name
            display_name = name
            followers = 1_000 + name.utf8.count * 37
            total_items = 300_000 + name.utf8.count * 1_001
        }
    }

    /// A tag's page: the tag's fields (its id a string, as Imgur's are) and its posts.
    struct TagPage: Encodable {
        let name: String
        let items: [AnyEncodable]

        enum Keys: String, CodingKey {
            case id, name, display_name, followers, total_items, following, is_whitelisted, background_hash
            case thumbnail_hash, accent, background_is_animated, thumbnail_is_animated, is_promoted, description
            case logo_hash, logo_destination_url, description_annotations, items
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let tag = Tag(name)
            try c.encode(String(32_100 + (Catalogue.tags.firstIndex(of: name) ?? 0)), forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(tag.display_name, forKey: .display_name)
            try c.encode(tag.followers, forKey: .followers)
            try c.encode(tag.total_items, forKey: .total_items)
            try c.encode(false, forKey: .following)
            try c.encode(false, forKey: .is_whitelisted)
            try c.encode(tag.background_hash, forKey: .background_hash)
            try c.encodeNil(forKey: .thumbnail_hash)
            try c.encode("5c8a5e", forKey: .accent)
            try c.encode(false, forKey: .background_is_animated)
            try c.encode(false, forKey: .thumbnail_is_animated)
            try c.encode(false, forKey: .is_promoted)
            try c.encode("", forKey: .description)
            try c.encodeNil(forKey: .logo_hash)
            try c.encodeNil(forKey: .logo_destination_url)
            try c.encode([String: String](), forKey: .description_annotations)
            try c.encode(items, forKey: .items)
        }
    }
}
